package dev.workcell.agent.testing;

import dev.workcell.agent.artifact.FakeArtifactStore;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentServiceGrpc;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import dev.workcell.proto.v1.Welcome;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A control plane for agents started as processes, on a fixed loopback port it can leave and come
 * back to: it welcomes every agent (resuming all it holds), acknowledges final updates while told
 * to, counts live log bytes without keeping them (optionally reading them slowly), and stores
 * artifacts in a {@link FakeArtifactStore}. What it received survives a stop and a start.
 */
public final class StandaloneControlPlane implements AutoCloseable {

    /** The enrollment token agents started by {@link AgentProcess} present. */
    public static final String ENROLLMENT_TOKEN = "wce_test-enrollment-token";

    public static final String CREDENTIAL = "wca_test-agent-credential";

    private final int port;
    private final FakeArtifactStore artifacts = new FakeArtifactStore();
    private final BlockingQueue<AgentMessage> received = new LinkedBlockingQueue<>();
    private final List<TaskUpdate> finals = new CopyOnWriteArrayList<>();
    private final AtomicLong logBytes = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger enrollments =
            new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> connectCredentials = new CopyOnWriteArrayList<>();
    private final List<Long> helloNanos = new CopyOnWriteArrayList<>();
    private final List<io.grpc.Status.Code> streamsEndedByAgent = new CopyOnWriteArrayList<>();
    private volatile io.grpc.Status refusal;
    private volatile boolean acknowledging = true;
    private volatile Duration readDelayPerLogChunk = Duration.ZERO;
    private volatile StreamObserver<ControlMessage> toAgent;
    private Server server;

    private StandaloneControlPlane(int port) {
        this.port = port;
    }

    /** Listens on a free loopback port. */
    public static StandaloneControlPlane start() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            StandaloneControlPlane controlPlane = new StandaloneControlPlane(probe.getLocalPort());
            probe.close();
            controlPlane.listen();
            return controlPlane;
        }
    }

    /** Listens again on the same port, with all it received so far. */
    public void listen() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(agentService())
                    .addService(artifacts)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Goes away: open streams break and new connections are refused until {@link #listen()}. */
    public void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    public int port() {
        return port;
    }

    public FakeArtifactStore artifacts() {
        return artifacts;
    }

    /** Whether final updates get an UpdateAck. */
    public void acknowledge(boolean acknowledge) {
        acknowledging = acknowledge;
    }

    /**
     * Answers every Hello with this status from now on, as the real control plane refuses an agent
     * (PERMISSION_DENIED for a Hello as another host than it enrolled for); null welcomes again.
     */
    public void refuse(io.grpc.Status status) {
        refusal = status;
    }

    /** When each Hello arrived (System.nanoTime()), in order. */
    public List<Long> helloNanos() {
        return List.copyOf(helloNanos);
    }

    /** How each stream the agent ended itself ended (its cancellation, as the server saw it), in order. */
    public List<io.grpc.Status.Code> streamsEndedByAgent() {
        return List.copyOf(streamsEndedByAgent);
    }

    /** Holds up the stream this long for every log chunk, as a control plane that cannot keep up. */
    public void readLogsSlowly(Duration perChunk) {
        readDelayPerLogChunk = perChunk;
    }

    public void send(ControlMessage message) {
        reply(toAgent, message);
    }

    /** Sends a task that runs the command on the agent's host. */
    public void run(String actionId, String host, String... argv) {
        run(actionId, 1, host, argv);
    }

    /** Sends that attempt of a task that runs the command on the agent's host. */
    public void run(String actionId, int attempt, String host, String... argv) {
        send(ControlMessage.newBuilder()
                .setTask(Task.newBuilder()
                        .setActionId(actionId)
                        .setAttempt(attempt)
                        .setOperation(Operation.EXEC)
                        .setInput(ActionInput.newBuilder()
                                .setExec(ExecInput.newBuilder().addAllArgv(List.of(argv))))
                        .setWorkerId("worker-1")
                        .setTargetId("target-1")
                        .setTargetSerial(host))
                .build());
    }

    /** Every final update received, deliveries of the same one included. */
    public List<TaskUpdate> finals() {
        return List.copyOf(finals);
    }

    public long logBytes() {
        return logBytes.get();
    }

    /** The next message matching the filter; others are skipped. */
    public AgentMessage await(Predicate<AgentMessage> filter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (AgentMessage next = received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                next != null;
                next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            if (filter.test(next)) {
                return next;
            }
        }
        throw new AssertionError("nothing matching arrived within " + timeout);
    }

    public Hello awaitHello(Duration timeout) throws InterruptedException {
        return await(AgentMessage::hasHello, timeout).getHello();
    }

    public TaskUpdate awaitUpdate(String actionId, Predicate<TaskUpdate> filter, Duration timeout)
            throws InterruptedException {
        return await(
                        message -> message.hasUpdate()
                                && message.getUpdate().getActionId().equals(actionId)
                                && filter.test(message.getUpdate()),
                        timeout)
                .getUpdate();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Server-side observers are not thread-safe: the test and the stream's own thread both answer. */
    private static void reply(StreamObserver<ControlMessage> agent, ControlMessage message) {
        synchronized (agent) {
            agent.onNext(message);
        }
    }

    /**
     * The agent stream, bound by hand: a class extending the generated AgentServiceImplBase would
     * make Quarkus take it for the test app's service instead of the Mutiny FakeControlPlane.
     */
    private ServerServiceDefinition agentService() {
        ServerServiceDefinition service = ServerServiceDefinition.builder(AgentServiceGrpc.getServiceDescriptor())
                .addMethod(AgentServiceGrpc.getEnrollMethod(), ServerCalls.asyncUnaryCall(this::enroll))
                .addMethod(AgentServiceGrpc.getConnectMethod(), ServerCalls.asyncBidiStreamingCall(this::connect))
                .build();
        return io.grpc.ServerInterceptors.intercept(service, new io.grpc.ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
                    io.grpc.ServerCall<Q, R> call, io.grpc.Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
                if (call.getMethodDescriptor()
                        .getFullMethodName()
                        .equals(AgentServiceGrpc.getConnectMethod().getFullMethodName())) {
                    connectCredentials.add(String.valueOf(headers.get(
                            io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER))));
                }
                return next.startCall(call, headers);
            }
        });
    }

    /** Hands out {@link #CREDENTIAL} for the enrollment token {@link #ENROLLMENT_TOKEN}, and counts enrolments. */
    private void enroll(
            dev.workcell.proto.v1.EnrollRequest request, StreamObserver<dev.workcell.proto.v1.EnrollResponse> answer) {
        if (!request.getEnrollmentToken().equals(ENROLLMENT_TOKEN)) {
            answer.onError(io.grpc.Status.PERMISSION_DENIED
                    .withDescription("unknown enrollment token")
                    .asRuntimeException());
            return;
        }
        enrollments.incrementAndGet();
        answer.onNext(dev.workcell.proto.v1.EnrollResponse.newBuilder()
                .setAgentId("agent-1")
                .setCredential(CREDENTIAL)
                .setHostId("host-1")
                .setPool("test")
                .build());
        answer.onCompleted();
    }

    /** How many times an agent enrolled. */
    public int enrollments() {
        return enrollments.get();
    }

    /** The authorization header of every Connect call, in order. */
    public List<String> connectCredentials() {
        return List.copyOf(connectCredentials);
    }

    /** Welcomes, records and acknowledges. */
    private StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> agent) {
        toAgent = agent;
        return new StreamObserver<>() {
            @Override
            public void onNext(AgentMessage message) {
                switch (message.getKindCase()) {
                    case HELLO -> {
                        helloNanos.add(System.nanoTime());
                        io.grpc.Status refused = refusal;
                        if (refused != null) {
                            received.add(message);
                            synchronized (agent) {
                                agent.onError(refused.asRuntimeException());
                            }
                            return;
                        }
                        // Welcomed before a test waiting for the Hello can send a task: an agent takes none before.
                        reply(
                                agent,
                                ControlMessage.newBuilder()
                                        .setWelcome(Welcome.newBuilder()
                                                .setHostId("host-1")
                                                .addAllResume(message.getHello().getHeldList()))
                                        .build());
                        received.add(message);
                    }
                    case UPDATE -> update(message);
                    case LOG -> log(message);
                    default -> {}
                }
            }

            private void update(AgentMessage message) {
                received.add(message);
                TaskUpdate update = message.getUpdate();
                if (update.getStatus() == ActionStatus.RUNNING) {
                    return;
                }
                finals.add(update);
                if (acknowledging) {
                    reply(
                            agent,
                            ControlMessage.newBuilder()
                                    .setAck(UpdateAck.newBuilder()
                                            .setActionId(update.getActionId())
                                            .setAttempt(update.getAttempt())
                                            .setStatus(update.getStatus())
                                            .setAccepted(true))
                                    .build());
                }
            }

            private void log(AgentMessage message) {
                logBytes.addAndGet(message.getLog().getData().size());
                try {
                    Thread.sleep(readDelayPerLogChunk.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onError(Throwable failure) {
                streamsEndedByAgent.add(io.grpc.Status.fromThrowable(failure).getCode());
            }

            @Override
            public void onCompleted() {
                synchronized (agent) {
                    agent.onCompleted();
                }
            }
        };
    }
}
