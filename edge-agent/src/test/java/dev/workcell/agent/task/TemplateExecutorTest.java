package dev.workcell.agent.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workcell.agent.log.LiveLogs;
import dev.workcell.agent.log.RecordingSink;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.ReplayInput;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TraceInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateExecutorTest {

    @TempDir
    Path workDir;

    private final LiveLogs liveLogs = new LiveLogs(new RecordingSink(), 64);
    private final ProcessRunner processes = Runners.processes(8192, Duration.ofSeconds(2), liveLogs);

    @AfterEach
    void stopLiveLogs() {
        liveLogs.close();
    }

    @Test
    void shouldFillEveryTracePlaceholderAndReportTheOutputPath() throws Exception {
        TemplateExecutor trace = executor(
                Operation.TRACE,
                List.of(
                        "sh",
                        "-c",
                        "echo $0 $1 $2 $3 {params.frames} > {workdir}/trace-{action_id}-{attempt}.gfxtrace",
                        "{subject}",
                        "{api}",
                        "{duration_seconds}",
                        "{target_serial}:{target_id}"),
                "{workdir}/trace-{action_id}-{attempt}.gfxtrace");

        Outcome outcome = trace.execute(attempt(traceTask("com.example.game", "vulkan")), workDir);

        assertEquals(ActionStatus.SUCCEEDED, outcome.status(), outcome.error());
        Path file = workDir.resolve("trace-a1-1.gfxtrace");
        assertEquals(file.toString(), outcome.output().getTrace().getTrace());
        assertEquals("com.example.game vulkan 30 pixel:id-pixel 120\n", Files.readString(file));
    }

    @Test
    void shouldFillReplayPlaceholders() {
        TemplateExecutor replay = executor(
                Operation.REPLAY, List.of("echo", "{trace}", "{api}", "{gapir_device}"), "/videos/{action_id}.mp4");
        Task task = Tasks.task(
                "a2",
                "pixel",
                Operation.REPLAY,
                ActionInput.newBuilder()
                        .setReplay(ReplayInput.newBuilder()
                                .setTrace("/traces/t.gfxtrace")
                                .setApi("gles")
                                .setGapirDevice("host"))
                        .build());

        Outcome outcome = replay.execute(attempt(task), workDir);

        assertEquals("/traces/t.gfxtrace gles host\n", outcome.output().getStdoutTail());
        assertEquals("/videos/a2.mp4", outcome.output().getReplay().getVideo());
    }

    @Test
    void shouldLeaveTextThatIsNoPlaceholderAlone() {
        TemplateExecutor trace = executor(Operation.TRACE, List.of("echo", "{ not one }", "$HOME", "{}"), "");

        Outcome outcome = trace.execute(attempt(traceTask("s", "gles")), workDir);

        assertEquals("{ not one } $HOME {}\n", outcome.output().getStdoutTail());
    }

    @Test
    void shouldNameAnUnknownPlaceholder() {
        TemplateExecutor trace = executor(Operation.TRACE, List.of("gapit", "trace", "{device}"), "");

        InvalidTaskException invalid =
                assertThrows(InvalidTaskException.class, () -> trace.execute(attempt(traceTask("s", "gles")), workDir));

        assertTrue(
                invalid.getMessage().startsWith("unknown placeholder {device} in the TRACE command template"),
                invalid.getMessage());
    }

    @Test
    void shouldNameAMissingParam() {
        TemplateExecutor trace = executor(Operation.TRACE, List.of("gapit", "{params.missing}"), "");

        InvalidTaskException invalid =
                assertThrows(InvalidTaskException.class, () -> trace.execute(attempt(traceTask("s", "gles")), workDir));

        assertTrue(invalid.getMessage().startsWith("unknown placeholder {params.missing}"), invalid.getMessage());
    }

    @Test
    void shouldNotKnowTracePlaceholdersInAReplay() {
        TemplateExecutor replay = executor(Operation.REPLAY, List.of("gapit", "video", "{subject}"), "");
        Task task = Tasks.task(
                "a3",
                "pixel",
                Operation.REPLAY,
                ActionInput.newBuilder()
                        .setReplay(ReplayInput.newBuilder().setTrace("t"))
                        .build());

        InvalidTaskException invalid =
                assertThrows(InvalidTaskException.class, () -> replay.execute(attempt(task), workDir));

        assertTrue(invalid.getMessage().startsWith("unknown placeholder {subject} in the REPLAY command template"));
    }

    @Test
    void shouldRejectAnInputOfAnotherOperation() {
        TemplateExecutor replay = executor(Operation.REPLAY, List.of("gapit", "video"), "");

        InvalidTaskException invalid = assertThrows(
                InvalidTaskException.class, () -> replay.execute(attempt(traceTask("s", "gles")), workDir));

        assertEquals("a REPLAY task needs a REPLAY input, not TRACE", invalid.getMessage());
    }

    @Test
    void shouldUseTheOperationsRetryStrings() {
        TemplateExecutor trace = executor(
                Operation.TRACE, List.of("sh", "-c", "echo 'Failed to connect to the GAPIS server' >&2; exit 1"), "");

        Outcome outcome = trace.execute(attempt(traceTask("s", "gles")), workDir);

        assertEquals(FailureClass.RETRYABLE, outcome.failure());
        assertEquals("Try again: Failed to connect to the GAPIS server", outcome.error());
    }

    private TemplateExecutor executor(Operation operation, List<String> argv, String output) {
        return new TemplateExecutor(
                operation,
                new CommandTemplate(
                        argv, output, List.of("Failed to connect to the GAPIS server"), Duration.ofMinutes(1)),
                processes);
    }

    private static Task traceTask(String subject, String api) {
        return Tasks.task(
                "a1",
                "pixel",
                Operation.TRACE,
                ActionInput.newBuilder()
                        .setTrace(TraceInput.newBuilder()
                                .setSubject(subject)
                                .setApi(api)
                                .setDurationSeconds(30)
                                .putParams("frames", "120"))
                        .build());
    }

    private static Attempt attempt(Task task) {
        return new Attempt(task, process -> {});
    }
}
