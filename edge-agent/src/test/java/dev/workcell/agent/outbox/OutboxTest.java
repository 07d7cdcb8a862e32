package dev.workcell.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.TaskUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    private static final String SHA = "ab".repeat(32);

    @TempDir
    Path dir;

    @TempDir
    Path workDir;

    private Outbox outbox;

    @BeforeEach
    void open() throws IOException {
        outbox = Outbox.open(dir);
    }

    @AfterEach
    void close() throws IOException {
        outbox.close();
    }

    @Test
    void keepsResultsWithTheirBlobsInTheOrderTheyWereCommittedAcrossARestart() throws IOException {
        spool(update("first"), file("trace.gfxtrace", "frames"));
        spool(update("second"));

        outbox.close();
        outbox = Outbox.open(dir);

        assertThat(updates()).isEqualTo(List.of(update("first"), update("second")));
        SpooledResult first = outbox.results().get(0);
        assertThat(Files.readString(outbox.blob(first, SHA).orElseThrow())).isEqualTo("frames");
        assertThat(outbox.blob(outbox.results().get(1), SHA)).isEqualTo(Optional.empty());
    }

    @Test
    void leavesNoTraceOfAnEntryThatWasNeverCommitted() throws IOException {
        try (Staging staging = outbox.stage()) {
            staging.add(file("trace.gfxtrace", "frames"), SHA);
        }

        assertThat(outbox.results()).isEqualTo(List.of());
        assertThat(names()).isEqualTo(List.of("lock"));
    }

    @Test
    void clearsWhatAKilledAgentLeftHalfWrittenOrHalfRemoved() throws IOException {
        spool(update("kept"));
        outbox.close();
        Files.createDirectories(dir.resolve("staging-1234.tmp").resolve("blobs"));
        Files.createDirectories(dir.resolve("000000000042.gone").resolve("blobs"));

        outbox = Outbox.open(dir);

        assertThat(updates()).isEqualTo(List.of(update("kept")));
        assertThat(names()).isEqualTo(List.of("000000000000", "lock"));
    }

    @Test
    void keepsTheContentOfASymbolicLinksTargetNotTheLink() throws IOException {
        Path target = file("trace.gfxtrace", "frames");
        Path link = Files.createSymbolicLink(workDir.resolve("latest.gfxtrace"), target);

        SpooledResult result = spool(update("a1"), link);
        Files.delete(target);

        Path blob = outbox.blob(result, SHA).orElseThrow();
        assertThat(Files.isSymbolicLink(blob)).isFalse();
        assertThat(Files.readString(blob)).isEqualTo("frames");
    }

    @Test
    void forgetsAnUploadedBlob() throws IOException {
        SpooledResult result = spool(update("a1"), file("video.mp4", "pixels"));

        outbox.uploaded(result, SHA);

        assertThat(outbox.blob(result, SHA)).isEqualTo(Optional.empty());
    }

    @Test
    void replacesAnUpdateDurablyAndDropsItsBlobs() throws IOException {
        SpooledResult result = spool(update("a1"), file("video.mp4", "pixels"));
        TaskUpdate failed = update("a1").toBuilder()
                .setStatus(ActionStatus.FAILED)
                .setFailure(FailureClass.AGENT_ERROR)
                .setError("refused")
                .build();

        outbox.replace(failed);
        outbox.close();
        outbox = Outbox.open(dir);

        assertThat(updates()).isEqualTo(List.of(failed));
        assertThat(outbox.blob(outbox.results().get(0), SHA)).isEqualTo(Optional.empty());
        assertThat(Files.exists(result.dir().resolve("blobs"))).isFalse();
    }

    @Test
    void removesAnEntryWithItsBlobs() throws IOException {
        spool(update("a1"), file("video.mp4", "pixels"));

        assertThat(outbox.remove("a1", 1)).isTrue();
        assertThat(outbox.remove("a1", 1)).isFalse();

        assertThat(outbox.results()).isEqualTo(List.of());
        assertThat(names()).isEqualTo(List.of("lock"));
    }

    @Test
    void continuesTheSequenceAfterARestart() throws IOException {
        spool(update("a1"));
        spool(update("a2"));
        outbox.remove("a1", 1);
        outbox.close();
        outbox = Outbox.open(dir);

        spool(update("a3"));

        assertThat(names()).isEqualTo(List.of("000000000001", "000000000002", "lock"));
        assertThat(updates()).isEqualTo(List.of(update("a2"), update("a3")));
    }

    @Test
    void refusesASecondAgentOnTheSameDirectory() {
        IllegalStateException refused = catchThrowableOfType(IllegalStateException.class, () -> Outbox.open(dir));

        assertThat(refused.getMessage())
                .isEqualTo("the outbox " + dir + " is in use by another agent; give each agent on a host its own"
                        + " workcell.agent.host-name or workcell.agent.outbox-dir");
    }

    private SpooledResult spool(TaskUpdate update, Path... files) throws IOException {
        try (Staging staging = outbox.stage()) {
            for (Path file : files) {
                staging.add(file, SHA);
            }
            return staging.commit(update);
        }
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(workDir.resolve(name), content);
    }

    private List<TaskUpdate> updates() {
        return outbox.results().stream().map(SpooledResult::update).toList();
    }

    private List<String> names() throws IOException {
        try (var children = Files.list(dir)) {
            return children.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static TaskUpdate update(String actionId) {
        return TaskUpdate.newBuilder()
                .setActionId(actionId)
                .setAttempt(1)
                .setStatus(ActionStatus.SUCCEEDED)
                .build();
    }
}
