package dev.workcell.bench;

import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentServiceGrpc;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Heartbeat;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated edge agent on the real AgentService.Connect stream: says Hello with its targets and
 * completes every Task at once (RUNNING then SUCCEEDED, or SUCCEEDED only).
 */
final class SimulatedAgent implements StreamObserver<ControlMessage> {

    /** What the benchmarks observe on the agents' streams; called on gRPC threads. */
    interface Listener {
        void taskReceived(String actionId, long nanos);

        void succeeded(String actionId, long nanos);

        void refused(UpdateAck ack);

        void streamFailed(String host, Throwable error);
    }

    private final String host;
    private final List<String> targets;
    private final boolean sendRunning;
    private final Listener listener;
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private StreamObserver<AgentMessage> outbound;

    SimulatedAgent(String host, List<String> targets, boolean sendRunning, Listener listener) {
        this.host = host;
        this.targets = targets;
        this.sendRunning = sendRunning;
        this.listener = listener;
    }

    /** Opens the stream and says Hello; the future completes with the Welcome. */
    CompletableFuture<Void> connect(AgentServiceGrpc.AgentServiceStub agents) {
        outbound = agents.connect(this);
        send(AgentMessage.newBuilder().setHello(hello()).build());
        return welcomed;
    }

    private Hello hello() {
        Hello.Builder hello = Hello.newBuilder()
                .setHost(Device.newBuilder().setName(host).setSerial(host))
                .setAgentVersion("bench");
        for (String target : targets) {
            hello.addTargets(TargetDevice.newBuilder()
                    .setDevice(Device.newBuilder().setName(target).setSerial(target))
                    .addOperations(Operation.EXEC));
        }
        return hello.build();
    }

    @Override
    public void onNext(ControlMessage message) {
        switch (message.getKindCase()) {
            case WELCOME -> welcomed.complete(null);
            case TASK -> complete(message.getTask());
            case ACK -> acknowledged(message.getAck());
            default -> { }
        }
    }

    private void complete(Task task) {
        listener.taskReceived(task.getActionId(), System.nanoTime());
        if (sendRunning) {
            send(update(task, ActionStatus.RUNNING));
        }
        send(update(task, ActionStatus.SUCCEEDED));
    }

    private void acknowledged(UpdateAck ack) {
        if (!ack.getAccepted()) {
            listener.refused(ack);
        } else if (ack.getStatus() == ActionStatus.SUCCEEDED) {
            listener.succeeded(ack.getActionId(), System.nanoTime());
        }
    }

    /** Tells the control plane the agent is alive, as a real agent does every 5 s. */
    void heartbeat() {
        send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
    }

    private static AgentMessage update(Task task, ActionStatus status) {
        TaskUpdate.Builder update = TaskUpdate.newBuilder()
                .setActionId(task.getActionId())
                .setAttempt(task.getAttempt())
                .setStatus(status);
        if (status == ActionStatus.SUCCEEDED) {
            update.setOutput(ActionOutput.newBuilder().setExitCode(0).setDurationMs(0));
        }
        return AgentMessage.newBuilder().setUpdate(update).build();
    }

    private synchronized void send(AgentMessage message) {
        outbound.onNext(message);
    }

    @Override
    public void onError(Throwable error) {
        welcomed.completeExceptionally(error);
        listener.streamFailed(host, error);
    }

    @Override
    public void onCompleted() {
        listener.streamFailed(host, new IllegalStateException("stream closed by the control plane"));
    }

    synchronized void close() {
        outbound.onCompleted();
    }
}
