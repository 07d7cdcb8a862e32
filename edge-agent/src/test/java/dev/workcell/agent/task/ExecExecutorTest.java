package dev.workcell.agent.task;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void shouldSucceedWithStdoutTailAndNotFailOnStderr() {
        Outcome outcome = run(Tasks.exec("a1", "host", "sh", "-c", "echo hello; echo a warning >&2"));

        assertEquals(ActionStatus.SUCCEEDED, outcome.status());
        assertEquals("", outcome.error());
        ActionOutput output = outcome.output();
        assertEquals(0, output.getExitCode());
        assertEquals("hello\n", output.getStdoutTail());
        assertEquals("a warning\n", output.getStderrTail());
        assertTrue(output.hasExec());
        assertTrue(output.getDurationMs() >= 0);
    }

    @Test
    void shouldRunInTheWorkDirWithTheInputEnvironment() {
        Outcome outcome =
                run(Tasks.exec("a1", "host", 0, Map.of("GREETING", "hi there"), "sh", "-c", "pwd; echo $GREETING"));

        assertEquals(workDir.toString() + "\nhi there\n", outcome.output().getStdoutTail());
    }

    @Test
    void shouldFailWithTheExitCodeAndLastStderrLine() {
        Outcome outcome = run(Tasks.exec("a1", "host", "sh", "-c", "echo first >&2; echo 'it broke' >&2; exit 3"));

        assertEquals(ActionStatus.FAILED, outcome.status());
        assertEquals(FailureClass.TASK_FAILED, outcome.failure());
        assertEquals("exit code 3: it broke", outcome.error());
        assertEquals(3, outcome.output().getExitCode());
    }

    @Test
    void shouldFailRetryablyWhenTheOutputSaysTextFileBusy() {
        Outcome outcome = run(
                Tasks.exec("a1", "host", "sh", "-c", "echo starting; echo 'exec ./gapis: text file busy' >&2; exit 1"));

        assertEquals(FailureClass.RETRYABLE, outcome.failure());
        assertEquals("Try again: exec ./gapis: text file busy", outcome.error());
    }

    @Test
    void shouldFailRetryablyOnAConfiguredRetryString() {
        Outcome outcome = run(Tasks.exec("a1", "host", "sh", "-c", "echo 'adb: device offline'; exit 1"));

        assertEquals(FailureClass.RETRYABLE, outcome.failure());
        assertEquals("Try again: adb: device offline", outcome.error());
    }

    @Test
    void shouldSucceedDespiteRetryTextWhenTheExitCodeIsZero() {
        assertEquals(
                ActionStatus.SUCCEEDED,
                run(Tasks.exec("a1", "host", "echo", "text file busy")).status());
    }

    @Test
    void shouldTimeOutAndLeaveNoProcessBehind() throws Exception {
        CompletableFuture<Outcome> outcome =
                runAsync(Tasks.exec("a1", "host", 1, Map.of(), "sh", "-c", "sleep 100 & sleep 100"));
        List<ProcessHandle> tree = trees.awaitTree();

        Outcome timedOut = outcome.get(10, TimeUnit.SECONDS);

        assertEquals(ActionStatus.FAILED, timedOut.status());
        assertEquals(FailureClass.TIMED_OUT, timedOut.failure());
        assertEquals("timed out after 1s", timedOut.error());
        assertEquals(-1, timedOut.output().getExitCode());
        ProcessTrees.assertAllGone(tree);
    }

    @Test
    void shouldStopTheWholeTreeWhenCancelled() throws Exception {
        Attempt attempt =
                new Attempt(Tasks.exec("a1", "host", "sh", "-c", "sleep 100 & sleep 100 & wait"), trees::started);
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> executor.execute(attempt, workDir));
        List<ProcessHandle> tree = trees.awaitTree();

        attempt.cancel(Outcome.CANCELLED_BY_REQUEST);
        Outcome cancelled = outcome.get(10, TimeUnit.SECONDS);

        assertEquals(ActionStatus.CANCELLED, cancelled.status());
        assertEquals("cancelled by request", cancelled.error());
        assertEquals(-1, cancelled.output().getExitCode());
        ProcessTrees.assertAllGone(tree);
    }

    @Test
    void shouldStopEveryProcessOfACancelledTaskThoseInASessionOfTheirOwnAndThoseStartedWhileStoppingIncluded()
            throws Exception {
        Attempt attempt =
                new Attempt(Tasks.exec("a1", "host", "sh", stubbornTree().toString()), trees::started);
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> executor.execute(attempt, workDir));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessTrees.recordedPids(scripts).size() == 3);

        attempt.cancel(Outcome.CANCELLED_BY_REQUEST);

        assertEquals(ActionStatus.CANCELLED, outcome.get(20, TimeUnit.SECONDS).status());
        assertAllStopped();
    }

    @Test
    void shouldStopEveryProcessOfATimedOutTaskThoseInASessionOfTheirOwnAndThoseStartedWhileStoppingIncluded()
            throws Exception {
        CompletableFuture<Outcome> outcome = runAsync(
                Tasks.exec("a1", "host", 1, Map.of(), "sh", stubbornTree().toString()));

        assertEquals(FailureClass.TIMED_OUT, outcome.get(20, TimeUnit.SECONDS).failure());
        assertAllStopped();
    }

    @Test
    void shouldStopWhatATaskLeftRunningWhenItExited() throws Exception {
        Outcome outcome = run(Tasks.exec(
                "a1",
                "host",
                "sh",
                ProcessTrees.script(
                                scripts,
                                "sh $STUBBORN > /dev/null 2>&1 &"
                                        + " setsid sh $STUBBORN > /dev/null 2>&1 & while [ \"$(cat $PIDS 2>/dev/null | wc -l)\" -lt 2 ]; do sleep 0.05; done")
                        .toString()));

        assertEquals(ActionStatus.SUCCEEDED, outcome.status(), outcome.error());
        List<Long> pids = ProcessTrees.recordedPids(scripts);
        assertEquals(2, pids.size(), pids.toString());
        assertEquals(List.of(), ProcessTrees.running(pids), "processes the task left still run");
    }

    @Test
    void shouldKeepOnlyTheLastTailBytesOfAHugeOutput() {
        Outcome outcome = run(Tasks.exec(
                "a1",
                "host",
                "sh",
                "-c",
                "head -c 10000000 /dev/zero | tr '\\0' x; echo END; head -c 10000000 /dev/zero | tr '\\0' y >&2"));

        String stdout = outcome.output().getStdoutTail();
        String stderr = outcome.output().getStderrTail();
        assertEquals(ActionStatus.SUCCEEDED, outcome.status());
        assertEquals(TAIL_BYTES, stdout.length());
        assertTrue(stdout.endsWith("xxxEND\n"), stdout.substring(TAIL_BYTES - 10));
        assertEquals("y".repeat(TAIL_BYTES), stderr);
    }

    @Test
    void shouldStreamTheOutputWhileTheProcessRuns() throws Exception {
        CompletableFuture<Outcome> outcome =
                runAsync(Tasks.exec("a1", "host", "sh", "-c", "echo first; sleep 1; echo second >&2"));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sink.chunks().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(outcome.isDone(), "the first chunk came only after the process ended");
        assertEquals(ActionStatus.SUCCEEDED, outcome.get(10, TimeUnit.SECONDS).status());

        assertEquals(
                List.of(
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
                                .build()),
                sink.chunks());
    }

    @Test
    void shouldRecordCpuTimeAndPeakMemoryOfTheProcessTree() {
        Outcome outcome = run(
                Tasks.exec(
                        "a1",
                        "host",
                        "sh",
                        "-c",
                        "sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'; head -c 20000000 /dev/zero | tail -c 1 > /dev/null"));

        assertEquals(ActionStatus.SUCCEEDED, outcome.status(), outcome.error());
        assertTrue(outcome.output().getCpuMs() >= 100, outcome.output().getCpuMs() + " ms of CPU");
        assertTrue(
                outcome.output().getMaxRssBytes() >= 1_000_000,
                outcome.output().getMaxRssBytes() + " bytes of peak RSS");
    }

    @Test
    void shouldReportAMissingProgramAsAgentError() {
        Outcome outcome = run(Tasks.exec("a1", "host", "no-such-program-7f3e", "--help"));

        assertEquals(FailureClass.AGENT_ERROR, outcome.failure());
        assertTrue(outcome.error().startsWith("cannot start no-such-program-7f3e: "), outcome.error());
    }

    @Test
    void shouldRetryStartingAProgramThatIsStillBeingWritten() throws Exception {
        Path script = workDir.resolve("tool.sh");
        try (FileOutputStream writer = new FileOutputStream(script.toFile())) {
            writer.write("#!/bin/sh\necho tool ran\n".getBytes(StandardCharsets.UTF_8));
            script.toFile().setExecutable(true);
            CompletableFuture<Outcome> outcome = runAsync(Tasks.exec("a1", "host", script.toString()));
            Thread.sleep(150); // the first start fails with ETXTBSY while the file is open for writing
            writer.close();

            Outcome ran = outcome.get(10, TimeUnit.SECONDS);

            assertEquals(ActionStatus.SUCCEEDED, ran.status(), ran.error());
            assertEquals("tool ran\n", ran.output().getStdoutTail());
        }
    }

    @Test
    void shouldFailRetryablyWhenTheProgramStaysBusy() throws Exception {
        Path script = workDir.resolve("tool.sh");
        try (FileOutputStream writer = new FileOutputStream(script.toFile())) {
            writer.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            script.toFile().setExecutable(true);

            Outcome busy = run(Tasks.exec("a1", "host", script.toString()));

            assertEquals(FailureClass.RETRYABLE, busy.failure());
            assertTrue(busy.error().startsWith("Try again: Cannot run program"), busy.error());
            assertTrue(busy.error().endsWith("Text file busy"), busy.error());
        }
    }

    @Test
    void shouldRejectAnEmptyArgv() {
        InvalidTaskException invalid = assertThrows(InvalidTaskException.class, () -> run(Tasks.exec("a1", "host")));

        assertEquals("the EXEC task has an empty argv", invalid.getMessage());
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
        assertEquals(4, pids.size(), "not every process of the tree started: " + pids);
        assertEquals(List.of(), ProcessTrees.running(pids), "processes of the task still run");
    }

    private Outcome run(Task task) {
        return executor.execute(new Attempt(task, trees::started), workDir);
    }

    private CompletableFuture<Outcome> runAsync(Task task) {
        return CompletableFuture.supplyAsync(() -> run(task));
    }
}
