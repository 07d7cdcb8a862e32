package dev.workcell.bench;

import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentServiceGrpc.AgentServiceStub;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Heartbeat;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import dev.workcell.proto.v1.Welcome;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated edge agent on the real AgentService.Connect stream: says Hello with its targets and
 * completes every Task at once (RUNNING then SUCCEEDED, or SUCCEEDED only). Like the real agent it
 * holds each final update until it is acknowledged; when it may reconnect and its stream fails, it
 * connects to the next control plane after a backoff, lists what it holds in Hello, and sends those
 * updates again once welcomed.
 */
final class SimulatedAgent {

    /** What the benchmarks observe on the agents' streams; called on gRPC threads. */
    interface Listener {
        void welcomed(String host, Welcomed welcomed, long nanos);

        void taskReceived(String host, Task task, long nanos);

        void succeeded(String host, String actionId, long nanos);

        void refused(UpdateAck ack);

        void streamFailed(String host, Throwable error);
    }

    /**
     * A Welcome: how many held attempts the Hello listed, how many the control plane resumed and
     * abandoned, and how many tasks came on the stream before the Welcome.
     */
    record Welcomed(int held, int resumed, int abandoned, int tasksBefore) {}

    /** The real agent's reconnect backoff (workcell.agent.reconnect.*): from 200 ms, doubling up to 10 s, ±20 %. */
    private static final long FIRST_RECONNECT_MS = 200;

    private static final long MAX_RECONNECT_MS = 10_000;
    private static final AgentMessage HEARTBEAT = AgentMessage.newBuilder()
            .setHeartbeat(Heartbeat.getDefaultInstance())
            .build();

    private final String host;
    private final List<Device> targets;
    private final boolean sendRunning;
    private final Listener listener;
    private final List<AgentServiceStub> controlPlanes;
    private final ScheduledExecutorService reconnects;
    private final Map<String, TaskUpdate> unacknowledged = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> firstWelcome = new CompletableFuture<>();
    private int controlPlane;
    private long reconnectMs = FIRST_RECONNECT_MS;
    private volatile Stream stream;
    private volatile io.grpc.ClientInterceptor credential;
    private volatile boolean closed;

    /**
     * @param controlPlanes where the agent connects, the first one first and the next one after a failure
     * @param reconnects    runs the reconnections; null when a failed stream stays failed
     */
    SimulatedAgent(
            String host,
            List<Device> targets,
            boolean sendRunning,
            Listener listener,
            List<AgentServiceStub> controlPlanes,
            ScheduledExecutorService reconnects) {
        this.host = host;
        this.targets = targets;
        this.sendRunning = sendRunning;
        this.listener = listener;
        this.controlPlanes = controlPlanes;
        this.reconnects = reconnects;
    }

    String host() {
        return host;
    }

    /** Opens the stream and says Hello; the future completes with the first Welcome. */
    CompletableFuture<Void> connect() {
        BenchCredentials.enroll(controlPlanes.get(0), host).whenComplete((secret, error) -> {
            if (error != null) {
                firstWelcome.completeExceptionally(error);
            } else {
                credential = BenchCredentials.bearer(secret);
                open();
            }
        });
        return firstWelcome;
    }

    /** Tells the control plane the agent is alive, as a real agent does every 5 s. */
    void heartbeat() {
        Stream current = stream;
        if (current != null) { // null while the agent is still enrolling
            current.send(HEARTBEAT);
        }
    }

    void close() {
        closed = true;
        stream.close();
    }

    private synchronized void open() {
        if (!closed) {
            stream = new Stream();
            stream.start(controlPlanes.get(controlPlane));
        }
    }

    private synchronized void failed(Throwable error) {
        if (closed) {
            return;
        }
        listener.streamFailed(host, error);
        if (reconnects == null) {
            firstWelcome.completeExceptionally(error);
            return;
        }
        controlPlane = (controlPlane + 1) % controlPlanes.size();
        long delay =
                (long) (reconnectMs * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        reconnectMs = Math.min(MAX_RECONNECT_MS, reconnectMs * 2);
        reconnects.schedule(this::open, delay, TimeUnit.MILLISECONDS);
    }

    private Hello hello(List<TaskUpdate> held) {
        Hello.Builder hello = Hello.newBuilder()
                .setHost(Device.newBuilder().setName(host).setSerial(host))
                .setAgentVersion("bench");
        for (Device target : targets) {
            hello.addTargets(TargetDevice.newBuilder().setDevice(target).addOperations(Operation.EXEC));
        }
        held.forEach(update -> hello.addHeld(HeldAttempt.newBuilder()
                .setActionId(update.getActionId())
                .setAttempt(update.getAttempt())
                .setStatus(update.getStatus())));
        return hello.build();
    }

    /** Forgets what the control plane gave up on, then sends again the other final updates the Hello listed. */
    private void welcomed(Stream on, Welcome welcome) {
        welcome.getAbandonList().forEach(attempt -> forget(attempt.getActionId(), attempt.getAttempt()));
        on.held.stream()
                .filter(update -> update.equals(unacknowledged.get(update.getActionId())))
                .forEach(on::send);
        synchronized (this) {
            reconnectMs = FIRST_RECONNECT_MS;
        }
        listener.welcomed(
                host,
                new Welcomed(
                        on.held.size(), welcome.getResumeCount(), welcome.getAbandonCount(), on.tasksBeforeWelcome),
                System.nanoTime());
        firstWelcome.complete(null);
    }

    private void complete(Stream on, Task task) {
        listener.taskReceived(host, task, System.nanoTime());
        if (!on.welcomeSeen) {
            on.tasksBeforeWelcome++;
        }
        if (sendRunning) {
            on.send(update(task, ActionStatus.RUNNING));
        }
        TaskUpdate done = update(task, ActionStatus.SUCCEEDED);
        unacknowledged.put(task.getActionId(), done);
        on.send(done);
    }

    private void acknowledged(UpdateAck ack) {
        if (ack.getStatus() != ActionStatus.RUNNING) {
            forget(ack.getActionId(), ack.getAttempt());
        }
        if (!ack.getAccepted()) {
            listener.refused(ack);
        } else if (ack.getStatus() == ActionStatus.SUCCEEDED) {
            listener.succeeded(host, ack.getActionId(), System.nanoTime());
        }
    }

    private void forget(String actionId, int attempt) {
        unacknowledged.computeIfPresent(actionId, (id, update) -> update.getAttempt() == attempt ? null : update);
    }

    private static TaskUpdate update(Task task, ActionStatus status) {
        TaskUpdate.Builder update = TaskUpdate.newBuilder()
                .setActionId(task.getActionId())
                .setAttempt(task.getAttempt())
                .setStatus(status);
        if (status == ActionStatus.SUCCEEDED) {
            update.setOutput(ActionOutput.newBuilder().setExitCode(0).setDurationMs(0));
        }
        return update.build();
    }

    /** One Connect call; messages of a stream that ended are dropped, as on a broken connection. */
    private final class Stream implements StreamObserver<ControlMessage> {

        private StreamObserver<AgentMessage> outbound;
        private boolean ended;
        /** What the Hello listed as held; the fields below are used on the stream's callback thread only. */
        private List<TaskUpdate> held;

        private boolean welcomeSeen;
        private int tasksBeforeWelcome;

        synchronized void start(AgentServiceStub controlPlane) {
            held = List.copyOf(unacknowledged.values());
            outbound = controlPlane.withInterceptors(credential).connect(this);
            outbound.onNext(AgentMessage.newBuilder().setHello(hello(held)).build());
        }

        void send(TaskUpdate update) {
            send(AgentMessage.newBuilder().setUpdate(update).build());
        }

        synchronized void send(AgentMessage message) {
            if (!ended) {
                outbound.onNext(message);
            }
        }

        synchronized void close() {
            if (!ended) {
                ended = true;
                outbound.onCompleted();
            }
        }

        @Override
        public void onNext(ControlMessage message) {
            switch (message.getKindCase()) {
                case WELCOME -> {
                    welcomeSeen = true;
                    welcomed(this, message.getWelcome());
                }
                case TASK -> complete(this, message.getTask());
                case ACK -> acknowledged(message.getAck());
                default -> {}
            }
        }

        @Override
        public void onError(Throwable error) {
            end(error);
        }

        @Override
        public void onCompleted() {
            end(new IllegalStateException("stream closed by the control plane"));
        }

        private void end(Throwable error) {
            synchronized (this) {
                ended = true;
            }
            failed(error);
        }
    }
}
