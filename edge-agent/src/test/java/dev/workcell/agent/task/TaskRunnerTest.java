package dev.workcell.agent.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.TraceInput;
import dev.workcell.proto.v1.UpdateAck;

class TaskRunnerTest {

    @TempDir
    Path root;

    private final BlockingQueue<TaskUpdate> reported = new LinkedBlockingQueue<>();
    private final HeldAttempts held = new HeldAttempts();
    private TaskRunner runner;

    @AfterEach
    void stopRunner() {
        runner.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void shouldReportRunningThenTheResultAndRemoveTheWorkDir() throws Exception {
        runner = runner(false, List.of());

        runner.start(Tasks.exec("a1", "host", "pwd"), reported::add);

        assertEquals(ActionStatus.RUNNING, next().getStatus());
        TaskUpdate done = next();
        assertEquals(ActionStatus.SUCCEEDED, done.getStatus());
        assertEquals(new AttemptKey("a1", 1), AttemptKey.of(done));
        Path workDir = root.resolve("a1-1");
        assertEquals(workDir + "\n", done.getOutput().getStdoutTail());
        assertFalse(Files.exists(workDir));
    }

    @Test
    void shouldKeepTheWorkDirWhenConfigured() throws Exception {
        runner = runner(true, List.of());

        runner.start(Tasks.exec("a1", "host", "touch", "made-here"), reported::add);

        assertEquals(ActionStatus.RUNNING, next().getStatus());
        assertEquals(ActionStatus.SUCCEEDED, next().getStatus());
        assertTrue(Files.exists(root.resolve("a1-1").resolve("made-here")));
    }

    @Test
    void shouldRefuseATaskForABusyTarget() throws Exception {
        runner = runner(false, List.of());
        runner.start(Tasks.exec("long", "pixel", "sleep", "30"), reported::add);
        assertEquals(ActionStatus.RUNNING, next().getStatus());

        runner.start(Tasks.exec("second", "pixel", "true"), reported::add);

        TaskUpdate refused = next();
        assertEquals("second", refused.getActionId());
        assertEquals(FailureClass.AGENT_ERROR, refused.getFailure());
        assertEquals("target pixel is busy with action long", refused.getError());
        runner.cancel(new AttemptKey("long", 1));
        assertEquals(ActionStatus.CANCELLED, next().getStatus());
    }

    @Test
    void shouldRunTasksForDifferentTargetsSideBySide() throws Exception {
        runner = runner(false, List.of());

        runner.start(Tasks.exec("on-a", "a", "sleep", "30"), reported::add);
        runner.start(Tasks.exec("on-b", "b", "sleep", "30"), reported::add);

        assertEquals(ActionStatus.RUNNING, next().getStatus());
        assertEquals(ActionStatus.RUNNING, next().getStatus());
        runner.cancel(new AttemptKey("on-a", 1));
        runner.cancel(new AttemptKey("on-b", 1));
        assertEquals(ActionStatus.CANCELLED, next().getStatus());
        assertEquals(ActionStatus.CANCELLED, next().getStatus());
    }

    @Test
    void shouldIgnoreATaskItAlreadyHolds() throws Exception {
        runner = runner(false, List.of());
        runner.start(Tasks.exec("a1", "host", "sleep", "30"), reported::add);
        assertEquals(ActionStatus.RUNNING, next().getStatus());

        runner.start(Tasks.exec("a1", "host", "sleep", "30"), reported::add);

        assertNull(reported.poll(300, TimeUnit.MILLISECONDS));
        runner.cancel(new AttemptKey("a1", 1));
        assertEquals(ActionStatus.CANCELLED, next().getStatus());
    }

    @Test
    void shouldReportAnOperationWithoutExecutorAsAgentError() throws Exception {
        runner = runner(false, List.of());

        runner.start(Tasks.task("t1", "host", Operation.TRACE,
                ActionInput.newBuilder().setTrace(TraceInput.newBuilder().setSubject("app")).build()), reported::add);

        TaskUpdate failed = next();
        assertEquals(FailureClass.AGENT_ERROR, failed.getFailure());
        assertEquals("operation TRACE is not configured on this agent", failed.getError());
    }

    @Test
    void shouldReportABadTemplateAsAgentErrorNamingThePlaceholder() throws Exception {
        ProcessRunner processes = new ProcessRunner(8192, Duration.ofSeconds(2));
        runner = runner(false, List.of(new TemplateExecutor(Operation.TRACE,
                new CommandTemplate(List.of("gapit", "trace", "{package}"), "", List.of(), Duration.ofMinutes(1)), processes)));

        runner.start(Tasks.task("t1", "host", Operation.TRACE,
                ActionInput.newBuilder().setTrace(TraceInput.newBuilder().setSubject("app")).build()), reported::add);

        TaskUpdate failed = next();
        assertEquals(ActionStatus.FAILED, failed.getStatus());
        assertEquals(FailureClass.AGENT_ERROR, failed.getFailure());
        assertTrue(failed.getError().contains("{package}"), failed.getError());
        assertFalse(Files.exists(root.resolve("t1-1")));
    }

    @Test
    void shouldNeverReportAnAbandonedAttempt() throws Exception {
        runner = runner(false, List.of());
        runner.start(Tasks.exec("a1", "host", "sleep", "30"), reported::add);
        assertEquals(ActionStatus.RUNNING, next().getStatus());

        runner.abandon(new AttemptKey("a1", 1));

        assertNull(reported.poll(1, TimeUnit.SECONDS));
        assertEquals(List.of(), held.list());
    }

    @Test
    void shouldHoldFinalUpdatesUntilAcknowledged() throws Exception {
        runner = runner(false, List.of());
        runner.start(Tasks.exec("done", "a", "true"), reported::add);
        runner.start(Tasks.exec("busy", "b", "sleep", "30"), reported::add);
        TaskUpdate finalUpdate = awaitFinal("done");

        assertEquals(List.of(heldAttempt("busy", ActionStatus.RUNNING), heldAttempt("done", ActionStatus.SUCCEEDED)),
                held.list());
        assertEquals(List.of(finalUpdate), held.unacknowledged());

        held.acknowledge(UpdateAck.newBuilder().setActionId("done").setAttempt(1).setStatus(ActionStatus.SUCCEEDED)
                .setAccepted(false).setReason("stale attempt").build());

        assertEquals(List.of(heldAttempt("busy", ActionStatus.RUNNING)), held.list());
        assertEquals(List.of(), held.unacknowledged());
        runner.cancel(new AttemptKey("busy", 1));
        awaitFinal("busy");
    }

    private TaskRunner runner(boolean keepWorkDirs, List<TaskExecutor> templates) {
        ProcessRunner processes = new ProcessRunner(8192, Duration.ofSeconds(2));
        List<TaskExecutor> executors = new java.util.ArrayList<>(templates);
        executors.add(new ExecExecutor(processes, Duration.ofMinutes(1), List.of()));
        return new TaskRunner(executors, held, new WorkDirs(root, keepWorkDirs), 4);
    }

    private TaskUpdate next() throws InterruptedException {
        TaskUpdate update = reported.poll(10, TimeUnit.SECONDS);
        assertNotNull(update, "no update within 10 s");
        return update;
    }

    private TaskUpdate awaitFinal(String actionId) throws InterruptedException {
        while (true) {
            TaskUpdate update = next();
            if (update.getActionId().equals(actionId) && update.getStatus() != ActionStatus.RUNNING) {
                return update;
            }
        }
    }

    private static HeldAttempt heldAttempt(String actionId, ActionStatus status) {
        return HeldAttempt.newBuilder().setActionId(actionId).setAttempt(1).setStatus(status).build();
    }
}
