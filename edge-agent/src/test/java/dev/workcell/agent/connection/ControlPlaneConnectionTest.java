package dev.workcell.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.agent.connection.FakeControlPlane.Received;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.CancelTask;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.OsKind;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import dev.workcell.proto.v1.Welcome;
import dev.workcell.proto.v1.Worker;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakeControlPlaneProfile.class)
class ControlPlaneConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String HOST = FakeControlPlaneProfile.HOST_NAME;

    @Inject
    @GrpcService
    FakeControlPlane controlPlane;

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler logCapture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private int stream;

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("dev.workcell.agent").addHandler(logCapture);
    }

    @AfterEach
    void stopCapturingLogs() {
        Logger.getLogger("dev.workcell.agent").removeHandler(logCapture);
    }

    @Test
    void introducesTheHostItsTargetsAndOperations() throws Exception {
        Hello hello = newStream();

        assertThat(hello.getHost().getName()).isEqualTo(HOST);
        assertThat(hello.getHost().getSerial()).isEqualTo(HOST);
        assertThat(hello.getHost().getId()).isEqualTo("");
        assertThat(hello.getHost().getOs().getKind()).isEqualTo(OsKind.LINUX);
        assertThat(hello.getHost().getHardware().getCores() > 0).isTrue();
        assertThat(hello.getTargetsCount()).isEqualTo(1);
        assertThat(hello.getTargets(0).getDevice().getSerial()).isEqualTo(HOST);
        assertThat(hello.getTargets(0).getOperationsList()).isEqualTo(List.of(Operation.EXEC));
        assertThat(hello.getHeldList()).isEqualTo(List.of());
        assertThat(hello.getAgentVersion().isBlank()).isFalse();
    }

    @Test
    void logsItsRegistrationWithTheWorkerIds() throws Exception {
        newStream();

        welcome(Welcome.newBuilder()
                .setHostId("h-1")
                .addWorkers(Worker.newBuilder().setId("w-1"))
                .build());

        awaitLog("registered with control plane: host h-1, workers [w-1 (" + HOST + ")]");
    }

    @Test
    void runsATaskAndReportsRunningThenTheResult() throws Exception {
        newStream();
        welcome(Welcome.getDefaultInstance());

        controlPlane.send(task("echo-1", "sh", "-c", "echo hello"));

        awaitUpdate("echo-1", ActionStatus.RUNNING);
        TaskUpdate done = awaitUpdate("echo-1", ActionStatus.SUCCEEDED);
        assertThat(done.getOutput().getStdoutTail()).isEqualTo("hello\n");
        acknowledge(done);
    }

    @Test
    void sendsHeartbeats() throws Exception {
        newStream();
        welcome(Welcome.getDefaultInstance());

        controlPlane.await(
                received -> received.stream() == stream && received.message().hasHeartbeat(), WAIT);
    }

    @Test
    void stopsATaskWhenCancelled() throws Exception {
        newStream();
        welcome(Welcome.getDefaultInstance());
        controlPlane.send(task("sleepy", "sleep", "30"));
        awaitUpdate("sleepy", ActionStatus.RUNNING);

        controlPlane.send(ControlMessage.newBuilder()
                .setCancel(CancelTask.newBuilder().setActionId("sleepy").setAttempt(1))
                .build());

        TaskUpdate cancelled = awaitUpdate("sleepy", ActionStatus.CANCELLED);
        assertThat(cancelled.getError()).isEqualTo("cancelled by request");
        acknowledge(cancelled);
    }

    @Test
    void keepsRunningWhileDisconnectedAndReportsAfterTheNextWelcome() throws Exception {
        newStream();
        welcome(Welcome.getDefaultInstance());
        controlPlane.send(task("survivor", "sh", "-c", "sleep 1; echo done"));
        awaitUpdate("survivor", ActionStatus.RUNNING);

        Hello afterCut = newStream();
        assertThat(afterCut.getHeldList()).isEqualTo(List.of(held("survivor", ActionStatus.RUNNING)));
        controlPlane.assertNone(this::isUpdate, Duration.ofMillis(1500));
        welcome(Welcome.newBuilder()
                .addResume(held("survivor", ActionStatus.RUNNING))
                .build());
        TaskUpdate done = awaitUpdate("survivor", ActionStatus.SUCCEEDED);
        assertThat(done.getOutput().getStdoutTail()).isEqualTo("done\n");

        Hello unacknowledged = newStream();
        assertThat(unacknowledged.getHeldList()).isEqualTo(List.of(held("survivor", ActionStatus.SUCCEEDED)));
        welcome(Welcome.getDefaultInstance());
        acknowledge(awaitUpdate("survivor", ActionStatus.SUCCEEDED));

        assertThat(awaitHeldCleared()).isEqualTo(List.of());
    }

    @Test
    void stopsAndForgetsAnAbandonedAttempt() throws Exception {
        newStream();
        welcome(Welcome.getDefaultInstance());
        controlPlane.send(task("orphan", "sleep", "30"));
        awaitUpdate("orphan", ActionStatus.RUNNING);

        Hello afterCut = newStream();
        assertThat(afterCut.getHeldList()).isEqualTo(List.of(held("orphan", ActionStatus.RUNNING)));
        welcome(Welcome.newBuilder()
                .addAbandon(held("orphan", ActionStatus.RUNNING))
                .build());

        controlPlane.assertNone(this::isUpdate, Duration.ofSeconds(1));
        assertThat(newStream().getHeldList()).isEqualTo(List.of());
    }

    /** Cuts the current stream, if any, and returns the Hello of the agent's next one. */
    private Hello newStream() throws InterruptedException {
        int before = controlPlane.streams();
        if (before > 0) {
            controlPlane.cut();
        }
        Received hello = controlPlane.await(
                received -> received.stream() > before && received.message().hasHello(), WAIT);
        stream = hello.stream();
        return hello.message().getHello();
    }

    /** Acknowledges until the agent reconnects holding nothing; returns what it holds. */
    private List<HeldAttempt> awaitHeldCleared() throws InterruptedException {
        return newStream().getHeldList();
    }

    private void welcome(Welcome welcome) {
        controlPlane.send(ControlMessage.newBuilder().setWelcome(welcome).build());
    }

    private void acknowledge(TaskUpdate update) {
        controlPlane.send(ControlMessage.newBuilder()
                .setAck(UpdateAck.newBuilder()
                        .setActionId(update.getActionId())
                        .setAttempt(update.getAttempt())
                        .setStatus(update.getStatus())
                        .setAccepted(true))
                .build());
    }

    private TaskUpdate awaitUpdate(String actionId, ActionStatus status) throws InterruptedException {
        return controlPlane
                .await(
                        received -> isUpdate(received)
                                && received.message().getUpdate().getActionId().equals(actionId)
                                && received.message().getUpdate().getStatus() == status,
                        WAIT)
                .message()
                .getUpdate();
    }

    private boolean isUpdate(Received received) {
        return received.stream() == stream && received.message().getKindCase() == AgentMessage.KindCase.UPDATE;
    }

    private void awaitLog(String line) {
        await("log line '" + line + "'").atMost(WAIT).until(() -> logLines.contains(line));
    }

    private static ControlMessage task(String actionId, String... argv) {
        return ControlMessage.newBuilder()
                .setTask(Task.newBuilder()
                        .setActionId(actionId)
                        .setAttempt(1)
                        .setOperation(Operation.EXEC)
                        .setInput(ActionInput.newBuilder()
                                .setExec(ExecInput.newBuilder().addAllArgv(List.of(argv))))
                        .setWorkerId("w-1")
                        .setTargetId("t-1")
                        .setTargetSerial(HOST))
                .build();
    }

    private static HeldAttempt held(String actionId, ActionStatus status) {
        return HeldAttempt.newBuilder()
                .setActionId(actionId)
                .setAttempt(1)
                .setStatus(status)
                .build();
    }
}
