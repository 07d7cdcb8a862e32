package dev.workcell.agent.connection;

import dev.workcell.agent.connection.FakeControlPlane.Received;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.CancelTask;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import dev.workcell.proto.v1.Welcome;
import java.time.Duration;
import java.util.List;

/** Plays the control plane's side of the agent's current stream through the fake: welcome, tasks, cancels, acks. */
final class AgentStream {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeControlPlane controlPlane;
    private int stream;

    AgentStream(FakeControlPlane controlPlane) {
        this.controlPlane = controlPlane;
    }

    /** Cuts the agent's stream, if any, and welcomes its next one; returns that stream's Hello. */
    Hello reconnectAndWelcome() throws InterruptedException {
        int before = controlPlane.streams();
        if (before > 0) {
            controlPlane.cut();
        }
        Received hello = controlPlane.await(
                received -> received.stream() > before && received.message().hasHello(), WAIT);
        stream = hello.stream();
        controlPlane.send(ControlMessage.newBuilder()
                .setWelcome(Welcome.getDefaultInstance())
                .build());
        return hello.message().getHello();
    }

    void run(String actionId, String... argv) {
        run(actionId, List.of(), argv);
    }

    void run(String actionId, List<Artifact> inputs, String... argv) {
        controlPlane.send(ControlMessage.newBuilder()
                .setTask(Task.newBuilder()
                        .setActionId(actionId)
                        .setAttempt(1)
                        .setOperation(Operation.EXEC)
                        .setInput(ActionInput.newBuilder()
                                .setExec(ExecInput.newBuilder().addAllArgv(List.of(argv))))
                        .addAllInputs(inputs)
                        .setWorkerId("w-1")
                        .setTargetId("t-1")
                        .setTargetSerial(FakeControlPlaneProfile.HOST_NAME))
                .build());
    }

    void cancel(String actionId) {
        controlPlane.send(ControlMessage.newBuilder()
                .setCancel(CancelTask.newBuilder().setActionId(actionId).setAttempt(1))
                .build());
    }

    void acknowledge(TaskUpdate update) {
        controlPlane.send(ControlMessage.newBuilder()
                .setAck(UpdateAck.newBuilder()
                        .setActionId(update.getActionId())
                        .setAttempt(update.getAttempt())
                        .setStatus(update.getStatus())
                        .setAccepted(true))
                .build());
    }

    /** The next message on the current stream that is about the action: an update or a log chunk. */
    AgentMessage next(String actionId) throws InterruptedException {
        return controlPlane
                .await(received -> received.stream() == stream && isAbout(received.message(), actionId), WAIT)
                .message();
    }

    TaskUpdate awaitUpdate(String actionId, ActionStatus status) throws InterruptedException {
        return controlPlane
                .await(
                        received -> received.stream() == stream
                                && received.message().hasUpdate()
                                && received.message().getUpdate().getActionId().equals(actionId)
                                && received.message().getUpdate().getStatus() == status,
                        WAIT)
                .message()
                .getUpdate();
    }

    /** Fails if anything about the action arrives on the current stream within the time. */
    void assertQuiet(String actionId, Duration during) throws InterruptedException {
        controlPlane.assertNone(
                received -> received.stream() == stream && isAbout(received.message(), actionId), during);
    }

    private static boolean isAbout(AgentMessage message, String actionId) {
        return message.hasUpdate() && message.getUpdate().getActionId().equals(actionId)
                || message.hasLog() && message.getLog().getActionId().equals(actionId);
    }
}
