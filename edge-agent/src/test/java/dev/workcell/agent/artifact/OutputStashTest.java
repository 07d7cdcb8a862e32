package dev.workcell.agent.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.agent.outbox.Outbox;
import dev.workcell.agent.outbox.SpooledResult;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ExecOutput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.ReplayOutput;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.TraceOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputStashTest {

    @TempDir
    Path spool;

    @TempDir
    Path workDir;

    @TempDir
    Path elsewhere;

    private Outbox outbox;
    private OutputStash stash;

    @BeforeEach
    void open() throws IOException {
        outbox = Outbox.open(spool);
        stash = new OutputStash(
                outbox,
                Map.of(
                        Operation.EXEC, List.of("*.txt", "shots/**/*.png"),
                        Operation.TRACE, List.of("*.log")));
    }

    @AfterEach
    void close() throws IOException {
        outbox.close();
    }

    @Test
    void keepsTheFilesMatchingTheOperationsPatternsAsArtifacts() throws IOException {
        write("report.txt", "all good");
        write("shots/run1/frame.png", "png");
        write("notes.md", "not an output");
        write("deeper/other.txt", "not at the top");
        Files.createSymbolicLink(workDir.resolve("passwd.txt"), Path.of("/etc/passwd"));

        TaskUpdate kept = stash.keep(
                task(Operation.EXEC),
                succeeded(ActionOutput.newBuilder().setExec(ExecOutput.getDefaultInstance())),
                Optional.of(workDir));

        assertThat(kept.getOutput().getArtifactsList())
                .isEqualTo(List.of(
                        artifact("report.txt", "all good", "text/plain"),
                        artifact("shots/run1/frame.png", "png", "image/png")));
        assertThat(kept.getOutput().hasExec()).isTrue();
        SpooledResult spooled = outbox.results().get(0);
        assertThat(spooled.update()).isEqualTo(kept);
        assertThat(Files.readString(outbox.blob(spooled, sha("all good")).orElseThrow()))
                .isEqualTo("all good");
    }

    @Test
    void keepsTheFileTheTypedOutputNamesAndNamesItByItsSha256() throws IOException {
        write("trace.gfxtrace", "frames");
        write("gapit.log", "log");

        TaskUpdate kept = stash.keep(
                task(Operation.TRACE),
                succeeded(ActionOutput.newBuilder()
                        .setTrace(TraceOutput.newBuilder()
                                .setTrace(workDir.resolve("trace.gfxtrace").toString()))),
                Optional.of(workDir));

        assertThat(kept.getOutput().getTrace().getTrace()).isEqualTo("artifact:" + sha("frames"));
        assertThat(kept.getOutput().getArtifactsList())
                .isEqualTo(List.of(
                        artifact("gapit.log", "log", "text/plain"),
                        artifact("trace.gfxtrace", "frames", "application/octet-stream")));
    }

    @Test
    void keepsATypedOutputOutsideTheWorkDirUnderItsFileName() throws IOException {
        Path video = Files.writeString(elsewhere.resolve("a1.mp4"), "pixels");

        TaskUpdate kept = stash.keep(
                task(Operation.REPLAY),
                succeeded(ActionOutput.newBuilder()
                        .setReplay(ReplayOutput.newBuilder().setVideo(video.toString()))),
                Optional.of(workDir));

        assertThat(kept.getOutput().getReplay().getVideo()).isEqualTo("artifact:" + sha("pixels"));
        assertThat(kept.getOutput().getArtifactsList()).isEqualTo(List.of(artifact("a1.mp4", "pixels", "video/mp4")));
    }

    @Test
    void leavesATypedOutputThatWasNotWrittenAsItIs() {
        TaskUpdate update = succeeded(
                ActionOutput.newBuilder().setTrace(TraceOutput.newBuilder().setTrace("missing.gfxtrace")));

        assertThat(stash.keep(task(Operation.TRACE), update, Optional.of(workDir)))
                .isEqualTo(update);
    }

    @Test
    void doesNotCallTheTasksOwnInputsItsOutputs() throws IOException {
        write("input.txt", "given");
        write("result.txt", "made");
        Task task = task(Operation.EXEC).toBuilder()
                .addInputs(Artifact.newBuilder().setName("input.txt").setSha256(sha("given")))
                .build();

        TaskUpdate kept = stash.keep(task, succeeded(ActionOutput.newBuilder()), Optional.of(workDir));

        assertThat(kept.getOutput().getArtifactsList())
                .isEqualTo(List.of(artifact("result.txt", "made", "text/plain")));
    }

    @Test
    void keepsNoFilesOfACancelledAttempt() throws IOException {
        write("report.txt", "half done");
        TaskUpdate cancelled = TaskUpdate.newBuilder()
                .setActionId("a1")
                .setAttempt(1)
                .setStatus(ActionStatus.CANCELLED)
                .setError("cancelled by request")
                .build();

        assertThat(stash.keep(task(Operation.EXEC), cancelled, Optional.of(workDir)))
                .isEqualTo(cancelled);
        assertThat(outbox.blob(outbox.results().get(0), sha("half done"))).isEqualTo(Optional.empty());
    }

    @Test
    void forgetsAResult() {
        stash.keep(task(Operation.EXEC), succeeded(ActionOutput.newBuilder()), Optional.empty());

        stash.forget("a1", 1);

        assertThat(outbox.results()).isEqualTo(List.of());
    }

    private void write(String name, String content) throws IOException {
        Path file = workDir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static Task task(Operation operation) {
        return Task.newBuilder()
                .setActionId("a1")
                .setAttempt(1)
                .setOperation(operation)
                .build();
    }

    private static TaskUpdate succeeded(ActionOutput.Builder output) {
        return TaskUpdate.newBuilder()
                .setActionId("a1")
                .setAttempt(1)
                .setStatus(ActionStatus.SUCCEEDED)
                .setOutput(output)
                .build();
    }

    private static Artifact artifact(String name, String content, String contentType) {
        return Artifact.newBuilder()
                .setSha256(sha(content))
                .setName(name)
                .setSize(content.length())
                .setContentType(contentType)
                .build();
    }

    private static String sha(String content) {
        return FakeArtifactStore.sha256(content.getBytes());
    }
}
