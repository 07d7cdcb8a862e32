package dev.workcell.agent.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.workcell.agent.log.LiveLogs;
import dev.workcell.agent.log.RecordingSink;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;
import dev.workcell.proto.v1.Task;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecExecutorTest {

    private static final int TAIL_BYTES = 1024;

    @TempDir
    Path workDir;

    @TempDir
    Path scripts;

    private final ProcessTrees trees = new ProcessTrees();
    private final RecordingSink sink = new RecordingSink();
    private final LiveLogs liveLogs = new LiveLogs(sink, 64);
    private final ExecExecutor executor = new ExecExecutor(
            Runners.processes(TAIL_BYTES, Duration.ofSeconds(2), liveLogs),
            Duration.ofMinutes(1),
            List.of("device offline"));

    @AfterEach
    void stopLiveLogsAndLeftovers() throws IOException {
        liveLogs.close();
        ProcessTrees.recordedPids(scripts)
                .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void succeedsWithStdoutTailAndDoesNotFailOnStderr() {
        Outcome outcome = run(Tasks.exec("a1", "host", "sh", "-c", "echo hello; echo a warning >&2"));

        assertThat(outcome.status()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(outcome.error()).isEqualTo("");
        ActionOutput output = outcome.output();
        assertThat(output.getExitCode()).isEqualTo(0);
        assertThat(output.getStdoutTail()).isEqualTo("hello\n");
        assertThat(output.getStderrTail()).isEqualTo("a warning\n");
        assertThat(output.hasExec()).isTrue();
        assertThat(output.getDurationMs() >= 0).isTrue();
    }

    @Test
    void runsInTheWorkDirWithTheInputEnvironment() {
        Outcome outcome =
                run(Tasks.exec("a1", "host", 0, Map.of("GREETING", "hi there"), "sh", "-c", "pwd; echo $GREETING"));

        assertThat(outcome.output().getStdoutTail()).isEqualTo(workDir.toString() + "\nhi there\n");
    }

    @Test
    void failsWithTheExitCodeAndLastStderrLine() {
        Outcome outcome = run(Tasks.exec("a1", "host", "sh", "-c", "echo first >&2; echo 'it broke' >&2; exit 3"));

        assertThat(outcome.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(outcome.failure()).isEqualTo(FailureClass.TASK_FAILED);
        assertThat(outcome.error()).isEqualTo("exit code 3: it broke");
        assertThat(outcome.output().getExitCode()).isEqualTo(3);
    }

    @Test
    void failsRetryablyWhenTheOutputSaysTextFileBusy() {
        Outcome outcome = run(
                Tasks.exec("a1", "host", "sh", "-c", "echo starting; echo 'exec ./gapis: text file busy' >&2; exit 1"));

        assertThat(outcome.failure()).isEqualTo(FailureClass.RETRYABLE);
        assertThat(outcome.error()).isEqualTo("Try again: exec ./gapis: text file busy");
    }

    @Test
    void failsRetryablyOnAConfiguredRetryString() {
        Outcome outcome = run(Tasks.exec("a1", "host", "sh", "-c", "echo 'adb: device offline'; exit 1"));

        assertThat(outcome.failure()).isEqualTo(FailureClass.RETRYABLE);
        assertThat(outcome.error()).isEqualTo("Try again: adb: device offline");
    }

    @Test
    void succeedsDespiteRetryTextWhenTheExitCodeIsZero() {
        assertThat(run(Tasks.exec("a1", "host", "echo", "text file busy")).status())
                .isEqualTo(ActionStatus.SUCCEEDED);
    }

    @Test
    void timesOutAndLeavesNoProcessBehind() throws Exception {
        CompletableFuture<Outcome> outcome =
                runAsync(Tasks.exec("a1", "host", 1, Map.of(), "sh", "-c", "sleep 100 & sleep 100"));
        List<ProcessHandle> tree = trees.awaitTree();

        Outcome timedOut = outcome.get(10, TimeUnit.SECONDS);

        assertThat(timedOut.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(timedOut.failure()).isEqualTo(FailureClass.TIMED_OUT);
        assertThat(timedOut.error()).isEqualTo("timed out after 1s");
        assertThat(timedOut.output().getExitCode()).isEqualTo(-1);
        ProcessTrees.assertAllGone(tree);
    }

    @Test
    void stopsTheWholeTreeWhenCancelled() throws Exception {
        Attempt attempt =
                new Attempt(Tasks.exec("a1", "host", "sh", "-c", "sleep 100 & sleep 100 & wait"), trees::started);
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> executor.execute(attempt, workDir));
        List<ProcessHandle> tree = trees.awaitTree();

        attempt.cancel(Outcome.CANCELLED_BY_REQUEST);
        Outcome cancelled = outcome.get(10, TimeUnit.SECONDS);

        assertThat(cancelled.status()).isEqualTo(ActionStatus.CANCELLED);
        assertThat(cancelled.error()).isEqualTo("cancelled by request");
        assertThat(cancelled.output().getExitCode()).isEqualTo(-1);
        ProcessTrees.assertAllGone(tree);
    }

    @Test
    void stopsEveryProcessOfACancelledTaskThoseInASessionOfTheirOwnAndThoseStartedWhileStoppingIncluded()
            throws Exception {
        Attempt attempt =
                new Attempt(Tasks.exec("a1", "host", "sh", stubbornTree().toString()), trees::started);
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> executor.execute(attempt, workDir));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessTrees.recordedPids(scripts).size() == 3);

        attempt.cancel(Outcome.CANCELLED_BY_REQUEST);

        assertThat(outcome.get(20, TimeUnit.SECONDS).status()).isEqualTo(ActionStatus.CANCELLED);
        assertAllStopped();
    }

    @Test
    void stopsEveryProcessOfATimedOutTaskThoseInASessionOfTheirOwnAndThoseStartedWhileStoppingIncluded()
            throws Exception {
        CompletableFuture<Outcome> outcome = runAsync(
                Tasks.exec("a1", "host", 1, Map.of(), "sh", stubbornTree().toString()));

        assertThat(outcome.get(20, TimeUnit.SECONDS).failure()).isEqualTo(FailureClass.TIMED_OUT);
        assertAllStopped();
    }

    @Test
    void stopsWhatATaskLeftRunningWhenItExited() throws Exception {
        Outcome outcome = run(Tasks.exec(
                "a1",
                "host",
                "sh",
                ProcessTrees.script(
                                scripts,
                                "sh $STUBBORN > /dev/null 2>&1 &"
                                        + " setsid sh $STUBBORN > /dev/null 2>&1 & while [ \"$(cat $PIDS 2>/dev/null | wc -l)\" -lt 2 ]; do sleep 0.05; done")
                        .toString()));

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(ActionStatus.SUCCEEDED);
        List<Long> pids = ProcessTrees.recordedPids(scripts);
        assertThat(pids.size()).as(pids.toString()).isEqualTo(2);
        assertThat(ProcessTrees.running(pids))
                .as("processes the task left still run")
                .isEqualTo(List.of());
    }

    @Test
    void keepsOnlyTheLastTailBytesOfAHugeOutput() {
        Outcome outcome = run(Tasks.exec(
                "a1",
                "host",
                "sh",
                "-c",
                "head -c 10000000 /dev/zero | tr '\\0' x; echo END; head -c 10000000 /dev/zero | tr '\\0' y >&2"));

        String stdout = outcome.output().getStdoutTail();
        String stderr = outcome.output().getStderrTail();
        assertThat(outcome.status()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(stdout.length()).isEqualTo(TAIL_BYTES);
        assertThat(stdout.endsWith("xxxEND\n"))
                .as(stdout.substring(TAIL_BYTES - 10))
                .isTrue();
        assertThat(stderr).isEqualTo("y".repeat(TAIL_BYTES));
    }

    @Test
    void streamsTheOutputWhileTheProcessRuns() throws Exception {
        CompletableFuture<Outcome> outcome =
                runAsync(Tasks.exec("a1", "host", "sh", "-c", "echo first; sleep 1; echo second >&2"));

        await().atMost(Duration.ofSeconds(5)).until(() -> !sink.chunks().isEmpty());
        assertThat(outcome.isDone())
                .as("the first chunk came only after the process ended")
                .isFalse();
        assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(ActionStatus.SUCCEEDED);

        assertThat(sink.chunks())
                .isEqualTo(List.of(
                        LogChunk.newBuilder()
                                .setActionId("a1")
                                .setAttempt(1)
                                .setStream(LogStream.STDOUT)
                                .setOffset(0)
                                .setData(ByteString.copyFromUtf8("first\n"))
                                .build(),
                        LogChunk.newBuilder()
                                .setActionId("a1")
                                .setAttempt(1)
                                .setStream(LogStream.STDERR)
                                .setOffset(0)
                                .setData(ByteString.copyFromUtf8("second\n"))
                                .build()));
    }

    @Test
    void recordsCpuTimeAndPeakMemoryOfTheProcessTree() {
        Outcome outcome = run(
                Tasks.exec(
                        "a1",
                        "host",
                        "sh",
                        "-c",
                        "sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'; head -c 20000000 /dev/zero | tail -c 1 > /dev/null"));

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(outcome.output().getCpuMs() >= 100)
                .as(outcome.output().getCpuMs() + " ms of CPU")
                .isTrue();
        assertThat(outcome.output().getMaxRssBytes() >= 1_000_000)
                .as(outcome.output().getMaxRssBytes() + " bytes of peak RSS")
                .isTrue();
    }

    @Test
    void reportsAMissingProgramAsAgentError() {
        Outcome outcome = run(Tasks.exec("a1", "host", "no-such-program-7f3e", "--help"));

        assertThat(outcome.failure()).isEqualTo(FailureClass.AGENT_ERROR);
        assertThat(outcome.error().startsWith("cannot start no-such-program-7f3e: "))
                .as(outcome.error())
                .isTrue();
    }

    @Test
    void retriesStartingAProgramThatIsStillBeingWritten() throws Exception {
        Path script = workDir.resolve("tool.sh");
        try (FileOutputStream writer = new FileOutputStream(script.toFile())) {
            writer.write("#!/bin/sh\necho tool ran\n".getBytes(StandardCharsets.UTF_8));
            script.toFile().setExecutable(true);
            CompletableFuture<Outcome> outcome = runAsync(Tasks.exec("a1", "host", script.toString()));
            Thread.sleep(150); // the first start fails with ETXTBSY while the file is open for writing
            writer.close();

            Outcome ran = outcome.get(10, TimeUnit.SECONDS);

            assertThat(ran.status()).as(ran.error()).isEqualTo(ActionStatus.SUCCEEDED);
            assertThat(ran.output().getStdoutTail()).isEqualTo("tool ran\n");
        }
    }

    @Test
    void failsRetryablyWhenTheProgramStaysBusy() throws Exception {
        Path script = workDir.resolve("tool.sh");
        try (FileOutputStream writer = new FileOutputStream(script.toFile())) {
            writer.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            script.toFile().setExecutable(true);

            Outcome busy = run(Tasks.exec("a1", "host", script.toString()));

            assertThat(busy.failure()).isEqualTo(FailureClass.RETRYABLE);
            assertThat(busy.error().startsWith("Try again: Cannot run program"))
                    .as(busy.error())
                    .isTrue();
            assertThat(busy.error().endsWith("Text file busy")).as(busy.error()).isTrue();
        }
    }

    @Test
    void rejectsAnEmptyArgv() {
        InvalidTaskException invalid =
                catchThrowableOfType(InvalidTaskException.class, () -> run(Tasks.exec("a1", "host")));

        assertThat(invalid.getMessage()).isEqualTo("the EXEC task has an empty argv");
    }

    /**
     * A task whose processes ignore SIGTERM: its shell, a child, a child in a session of its own,
     * and a child its shell starts when it gets SIGTERM; all write down their pids.
     */
    private Path stubbornTree() throws IOException {
        return ProcessTrees.script(
                scripts,
                "trap 'sh $STUBBORN & echo $! >> $PIDS' TERM; eval \"$RECORD\";"
                        + " sh $STUBBORN & setsid sh $STUBBORN & wait");
    }

    /** The four processes of a stubborn tree ran, and none of them runs now. */
    private void assertAllStopped() throws IOException {
        List<Long> pids = ProcessTrees.recordedPids(scripts);
        assertThat(pids.size())
                .as("not every process of the tree started: " + pids)
                .isEqualTo(4);
        assertThat(ProcessTrees.running(pids))
                .as("processes of the task still run")
                .isEqualTo(List.of());
    }

    private Outcome run(Task task) {
        return executor.execute(new Attempt(task, trees::started), workDir);
    }

    private CompletableFuture<Outcome> runAsync(Task task) {
        return CompletableFuture.supplyAsync(() -> run(task));
    }
}
