package dev.workcell.agent.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
    void fillsEveryTracePlaceholderAndReportsTheOutputPath() throws Exception {
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

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(ActionStatus.SUCCEEDED);
        Path file = workDir.resolve("trace-a1-1.gfxtrace");
        assertThat(outcome.output().getTrace().getTrace()).isEqualTo(file.toString());
        assertThat(Files.readString(file)).isEqualTo("com.example.game vulkan 30 pixel:id-pixel 120\n");
    }

    @Test
    void fillsReplayPlaceholders() {
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

        assertThat(outcome.output().getStdoutTail()).isEqualTo("/traces/t.gfxtrace gles host\n");
        assertThat(outcome.output().getReplay().getVideo()).isEqualTo("/videos/a2.mp4");
    }

    @Test
    void leavesTextThatIsNoPlaceholderAlone() {
        TemplateExecutor trace = executor(Operation.TRACE, List.of("echo", "{ not one }", "$HOME", "{}"), "");

        Outcome outcome = trace.execute(attempt(traceTask("s", "gles")), workDir);

        assertThat(outcome.output().getStdoutTail()).isEqualTo("{ not one } $HOME {}\n");
    }

    @Test
    void namesAnUnknownPlaceholder() {
        TemplateExecutor trace = executor(Operation.TRACE, List.of("gapit", "trace", "{device}"), "");

        InvalidTaskException invalid = catchThrowableOfType(
                InvalidTaskException.class, () -> trace.execute(attempt(traceTask("s", "gles")), workDir));

        assertThat(invalid.getMessage().startsWith("unknown placeholder {device} in the TRACE command template"))
                .as(invalid.getMessage())
                .isTrue();
    }

    @Test
    void namesAMissingParam() {
        TemplateExecutor trace = executor(Operation.TRACE, List.of("gapit", "{params.missing}"), "");

        InvalidTaskException invalid = catchThrowableOfType(
                InvalidTaskException.class, () -> trace.execute(attempt(traceTask("s", "gles")), workDir));

        assertThat(invalid.getMessage().startsWith("unknown placeholder {params.missing}"))
                .as(invalid.getMessage())
                .isTrue();
    }

    @Test
    void doesNotKnowTracePlaceholdersInAReplay() {
        TemplateExecutor replay = executor(Operation.REPLAY, List.of("gapit", "video", "{subject}"), "");
        Task task = Tasks.task(
                "a3",
                "pixel",
                Operation.REPLAY,
                ActionInput.newBuilder()
                        .setReplay(ReplayInput.newBuilder().setTrace("t"))
                        .build());

        InvalidTaskException invalid =
                catchThrowableOfType(InvalidTaskException.class, () -> replay.execute(attempt(task), workDir));

        assertThat(invalid.getMessage().startsWith("unknown placeholder {subject} in the REPLAY command template"))
                .isTrue();
    }

    @Test
    void rejectsAnInputOfAnotherOperation() {
        TemplateExecutor replay = executor(Operation.REPLAY, List.of("gapit", "video"), "");

        InvalidTaskException invalid = catchThrowableOfType(
                InvalidTaskException.class, () -> replay.execute(attempt(traceTask("s", "gles")), workDir));

        assertThat(invalid.getMessage()).isEqualTo("a REPLAY task needs a REPLAY input, not TRACE");
    }

    @Test
    void usesTheOperationsRetryStrings() {
        TemplateExecutor trace = executor(
                Operation.TRACE, List.of("sh", "-c", "echo 'Failed to connect to the GAPIS server' >&2; exit 1"), "");

        Outcome outcome = trace.execute(attempt(traceTask("s", "gles")), workDir);

        assertThat(outcome.failure()).isEqualTo(FailureClass.RETRYABLE);
        assertThat(outcome.error()).isEqualTo("Try again: Failed to connect to the GAPIS server");
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
