package dev.workcell.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.agent.artifact.ArtifactDownloader;
import dev.workcell.agent.artifact.FakeArtifactStore;
import dev.workcell.agent.artifact.InputArtifacts;
import dev.workcell.agent.artifact.LoopbackServer;
import dev.workcell.agent.artifact.OutputStash;
import dev.workcell.agent.log.LiveLogs;
import dev.workcell.agent.log.RecordingSink;
import dev.workcell.agent.outbox.Outbox;
import dev.workcell.agent.outbox.SpooledResult;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.ReplayInput;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.TraceInput;
import dev.workcell.proto.v1.UpdateAck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRunnerTest {

    @TempDir
    Path root;

    @TempDir
    Path spool;

    private final BlockingQueue<TaskUpdate> reported = new LinkedBlockingQueue<>();
    private final HeldAttempts held = new HeldAttempts();
    private final FakeArtifactStore artifacts = new FakeArtifactStore();
    private final LiveLogs liveLogs = new LiveLogs(new RecordingSink(), 64);
    private final TaskRecords records = Runners.records();
    private LoopbackServer controlPlane;
    private Outbox outbox;
    private TaskRunner runner;

    @BeforeEach
    void openOutboxAndControlPlane() throws Exception {
        outbox = Outbox.open(spool);
        controlPlane = LoopbackServer.serving(artifacts);
    }

    @AfterEach
    void stopRunner() throws Exception {
        runner.shutdown(Duration.ofSeconds(5));
        liveLogs.close();
        controlPlane.close();
        outbox.close();
    }

    @Test
    void reportsRunningThenTheResultAndRemovesTheWorkDir() throws Exception {
        runner = runner(false, List.of());

        runner.start(Tasks.exec("a1", "host", "pwd"), reported::add);

        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);
        TaskUpdate done = next();
        assertThat(done.getStatus()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(AttemptKey.of(done)).isEqualTo(new AttemptKey("a1", 1));
        Path workDir = root.resolve("a1-1");
        assertThat(done.getOutput().getStdoutTail()).isEqualTo(workDir + "\n");
        assertThat(Files.exists(workDir)).isFalse();
    }

    @Test
    void keepsTheWorkDirWhenConfigured() throws Exception {
        runner = runner(true, List.of());

        runner.start(Tasks.exec("a1", "host", "touch", "made-here"), reported::add);

        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(Files.exists(root.resolve("a1-1").resolve("made-here"))).isTrue();
    }

    @Test
    void refusesATaskForABusyTarget() throws Exception {
        runner = runner(false, List.of());
        runner.start(Tasks.exec("long", "pixel", "sleep", "30"), reported::add);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);

        runner.start(Tasks.exec("second", "pixel", "true"), reported::add);

        TaskUpdate refused = next();
        assertThat(refused.getActionId()).isEqualTo("second");
        assertThat(refused.getFailure()).isEqualTo(FailureClass.AGENT_ERROR);
        assertThat(refused.getError()).isEqualTo("target pixel is busy with action long");
        runner.cancel(new AttemptKey("long", 1));
        assertThat(next().getStatus()).isEqualTo(ActionStatus.CANCELLED);
    }

    @Test
    void runsTasksForDifferentTargetsSideBySide() throws Exception {
        runner = runner(false, List.of());

        runner.start(Tasks.exec("on-a", "a", "sleep", "30"), reported::add);
        runner.start(Tasks.exec("on-b", "b", "sleep", "30"), reported::add);

        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);
        runner.cancel(new AttemptKey("on-a", 1));
        runner.cancel(new AttemptKey("on-b", 1));
        assertThat(next().getStatus()).isEqualTo(ActionStatus.CANCELLED);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.CANCELLED);
    }

    @Test
    void ignoresATaskItAlreadyHolds() throws Exception {
        runner = runner(false, List.of());
        runner.start(Tasks.exec("a1", "host", "sleep", "30"), reported::add);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);

        runner.start(Tasks.exec("a1", "host", "sleep", "30"), reported::add);

        assertThat(reported.poll(300, TimeUnit.MILLISECONDS)).isNull();
        runner.cancel(new AttemptKey("a1", 1));
        assertThat(next().getStatus()).isEqualTo(ActionStatus.CANCELLED);
    }

    @Test
    void reportsAnOperationWithoutExecutorAsAgentError() throws Exception {
        runner = runner(false, List.of());

        runner.start(
                Tasks.task(
                        "t1",
                        "host",
                        Operation.TRACE,
                        ActionInput.newBuilder()
                                .setTrace(TraceInput.newBuilder().setSubject("app"))
                                .build()),
                reported::add);

        TaskUpdate failed = next();
        assertThat(failed.getFailure()).isEqualTo(FailureClass.AGENT_ERROR);
        assertThat(failed.getError()).isEqualTo("operation TRACE is not configured on this agent");
    }

    @Test
    void reportsABadTemplateAsAgentErrorNamingThePlaceholder() throws Exception {
        ProcessRunner processes = Runners.processes(8192, Duration.ofSeconds(2), liveLogs, records);
        runner = runner(
                false,
                List.of(new TemplateExecutor(
                        Operation.TRACE,
                        new CommandTemplate(
                                List.of("gapit", "trace", "{package}"), "", List.of(), Duration.ofMinutes(1)),
                        processes)));

        runner.start(
                Tasks.task(
                        "t1",
                        "host",
                        Operation.TRACE,
                        ActionInput.newBuilder()
                                .setTrace(TraceInput.newBuilder().setSubject("app"))
                                .build()),
                reported::add);

        TaskUpdate failed = next();
        assertThat(failed.getStatus()).isEqualTo(ActionStatus.FAILED);
        assertThat(failed.getFailure()).isEqualTo(FailureClass.AGENT_ERROR);
        assertThat(failed.getError().contains("{package}"))
                .as(failed.getError())
                .isTrue();
        assertThat(Files.exists(root.resolve("t1-1"))).isFalse();
    }

    @Test
    void neverReportsAnAbandonedAttempt() throws Exception {
        runner = runner(false, List.of());
        runner.start(Tasks.exec("a1", "host", "sleep", "30"), reported::add);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);

        runner.abandon(new AttemptKey("a1", 1), Runnable::run);

        assertThat(reported.poll(1, TimeUnit.SECONDS)).isNull();
        assertThat(held.list()).isEqualTo(List.of());
        assertThat(outbox.results()).isEqualTo(List.of());
    }

    @Test
    void letsGoOfAttemptsStoppedByAShutdownSoTheControlPlaneRetriesThem() throws Exception {
        runner = runner(false, List.of());
        runner.start(Tasks.exec("a1", "host", "sleep", "30"), reported::add);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);

        runner.shutdown(Duration.ofSeconds(5));

        assertThat(reported.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(held.list()).isEqualTo(List.of());
        assertThat(outbox.results()).isEqualTo(List.of());
    }

    @Test
    void holdsFinalUpdatesUntilAcknowledged() throws Exception {
        runner = runner(false, List.of());
        runner.start(Tasks.exec("done", "a", "true"), reported::add);
        runner.start(Tasks.exec("busy", "b", "sleep", "30"), reported::add);
        TaskUpdate finalUpdate = awaitFinal("done");

        assertThat(held.list())
                .isEqualTo(List.of(
                        heldAttempt("busy", ActionStatus.RUNNING), heldAttempt("done", ActionStatus.SUCCEEDED)));
        assertThat(spooledUpdates()).isEqualTo(List.of(finalUpdate));

        assertThat(held.acknowledge(UpdateAck.newBuilder()
                        .setActionId("done")
                        .setAttempt(1)
                        .setStatus(ActionStatus.SUCCEEDED)
                        .setAccepted(false)
                        .setReason("stale attempt")
                        .build()))
                .isTrue();

        assertThat(held.list()).isEqualTo(List.of(heldAttempt("busy", ActionStatus.RUNNING)));
        runner.cancel(new AttemptKey("busy", 1));
        awaitFinal("busy");
    }

    @Test
    void keepsTheFinalUpdateWithItsOutputFilesInTheOutboxBeforeReportingIt() throws Exception {
        runner = runner(false, List.of());

        runner.start(Tasks.exec("a1", "host", "sh", "-c", "printf made-here > result.bin; echo done"), reported::add);

        TaskUpdate done = awaitFinal("a1");
        assertThat(spooledUpdates()).isEqualTo(List.of(done));
        Artifact result = done.getOutput().getArtifacts(0);
        assertThat(result.getName()).isEqualTo("result.bin");
        assertThat(result.getSha256()).isEqualTo(FakeArtifactStore.sha256("made-here".getBytes()));
        assertThat(outbox.blob(outbox.results().get(0), result.getSha256()).map(TaskRunnerTest::read))
                .isEqualTo(Optional.of("made-here"));
        assertThat(Files.exists(root.resolve("a1-1"))).isFalse();
    }

    @Test
    void fetchesInputArtifactsAndRunsWithTheirLocalPaths() throws Exception {
        Artifact trace = artifacts.put("trace.gfxtrace", "frames".getBytes());
        runner = runner(
                false,
                List.of(new TemplateExecutor(
                        Operation.REPLAY,
                        new CommandTemplate(
                                List.of("sh", "-c", "echo \"$0\"; cat \"$0\" \"$0\" > doubled.bin", "{trace}"),
                                "",
                                List.of(),
                                Duration.ofMinutes(1)),
                        Runners.processes(8192, Duration.ofSeconds(2), liveLogs, records))));

        runner.start(replayOf(trace), reported::add);

        TaskUpdate done = awaitFinal("r1");
        assertThat(done.getStatus()).as(done.getError()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(done.getOutput().getStdoutTail())
                .isEqualTo(root.resolve("r1-1").resolve("trace.gfxtrace") + "\n");
        assertThat(done.getOutput().getArtifactsList().stream()
                        .map(Artifact::getName)
                        .toList())
                .isEqualTo(List.of("doubled.bin"));
        assertThat(done.getOutput().getArtifacts(0).getSha256())
                .isEqualTo(FakeArtifactStore.sha256("framesframes".getBytes()));
    }

    @Test
    void failsAsAgentErrorWhenAnInputIsNotOnTheControlPlane() throws Exception {
        Artifact missing = Artifact.newBuilder()
                .setName("trace.gfxtrace")
                .setSha256(FakeArtifactStore.sha256(new byte[0]))
                .build();
        runner = runner(
                false,
                List.of(new TemplateExecutor(
                        Operation.REPLAY,
                        new CommandTemplate(List.of("true", "{trace}"), "", List.of(), Duration.ofMinutes(1)),
                        Runners.processes(8192, Duration.ofSeconds(2), liveLogs, records))));

        runner.start(replayOf(missing), reported::add);

        TaskUpdate failed = awaitFinal("r1");
        assertThat(failed.getFailure()).isEqualTo(FailureClass.AGENT_ERROR);
        assertThat(failed.getError()
                        .startsWith("the download of input artifact trace.gfxtrace (e3b0c44298fc…) was refused by"
                                + " the control plane: NOT_FOUND"))
                .as(failed.getError())
                .isTrue();
    }

    private static Task replayOf(Artifact trace) {
        return Tasks.task(
                        "r1",
                        "host",
                        Operation.REPLAY,
                        ActionInput.newBuilder()
                                .setReplay(ReplayInput.newBuilder().setTrace("artifact:" + trace.getSha256()))
                                .build())
                .toBuilder()
                .addInputs(trace)
                .build();
    }

    private List<TaskUpdate> spooledUpdates() {
        return outbox.results().stream().map(SpooledResult::update).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private TaskRunner runner(boolean keepWorkDirs, List<TaskExecutor> templates) {
        ProcessRunner processes = Runners.processes(8192, Duration.ofSeconds(2), liveLogs, records);
        List<TaskExecutor> executors = new java.util.ArrayList<>(templates);
        executors.add(new ExecExecutor(processes, Duration.ofMinutes(1), List.of()));
        return new TaskRunner(
                executors,
                held,
                new WorkDirs(root, keepWorkDirs),
                records,
                new InputArtifacts(new ArtifactDownloader(controlPlane.channel())),
                new OutputStash(outbox, Map.of(Operation.EXEC, List.of("*.bin"), Operation.REPLAY, List.of("*.bin"))),
                4);
    }

    private TaskUpdate next() throws InterruptedException {
        TaskUpdate update = reported.poll(10, TimeUnit.SECONDS);
        assertThat(update).as("no update within 10 s").isNotNull();
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
        return HeldAttempt.newBuilder()
                .setActionId(actionId)
                .setAttempt(1)
                .setStatus(status)
                .build();
    }
}
