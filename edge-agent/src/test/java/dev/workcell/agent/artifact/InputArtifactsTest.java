package dev.workcell.agent.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.ReplayInput;
import dev.workcell.proto.v1.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputArtifactsTest {

    @TempDir
    Path workDir;

    private final FakeArtifactStore store = new FakeArtifactStore();
    private final LoopbackServer controlPlane = LoopbackServer.serving(store);
    private final InputArtifacts inputs = new InputArtifacts(new ArtifactDownloader(controlPlane.channel()));

    @AfterEach
    void stop() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void downloadsEachInputUnderItsNameAndPutsItsPathWhereTheInputReferredToIt() throws Exception {
        Artifact trace = store.put("captures/trace.gfxtrace", "frames".getBytes());
        String reference = "artifact:" + trace.getSha256();
        Task task = task(
                ActionInput.newBuilder()
                        .setReplay(ReplayInput.newBuilder()
                                .setTrace(reference)
                                .setApi("vulkan")
                                .putParams("baseline", "--compare=" + reference))
                        .build(),
                trace);

        Task local = inputs.fetch(task, workDir, new CompletableFuture<>());

        Path file = workDir.resolve("trace.gfxtrace");
        assertThat(Files.readString(file)).isEqualTo("frames");
        assertThat(local.getInput().getReplay().getTrace()).isEqualTo(file.toString());
        assertThat(local.getInput().getReplay().getParamsMap()).isEqualTo(Map.of("baseline", "--compare=" + file));
        assertThat(local.getInput().getReplay().getApi()).isEqualTo("vulkan");
    }

    @Test
    void replacesReferencesInExecArgumentsAndEnvironment() throws Exception {
        Artifact apk = store.put("app.apk", "apk".getBytes());
        String reference = "artifact:" + apk.getSha256();
        Task task = task(
                ActionInput.newBuilder()
                        .setExec(ExecInput.newBuilder()
                                .addAllArgv(List.of("adb", "install", reference))
                                .putEnv("APK", reference))
                        .build(),
                apk);

        Task local = inputs.fetch(task, workDir, new CompletableFuture<>());

        String path = workDir.resolve("app.apk").toString();
        assertThat(local.getInput().getExec().getArgvList()).isEqualTo(List.of("adb", "install", path));
        assertThat(local.getInput().getExec().getEnvMap()).isEqualTo(Map.of("APK", path));
    }

    @Test
    void givesTwoInputsWithTheSameNameTwoFiles() throws Exception {
        Artifact first = store.put("trace.gfxtrace", "one".getBytes());
        Artifact second = store.put("trace.gfxtrace", "two".getBytes());
        Task task = task(
                ActionInput.newBuilder()
                        .setExec(ExecInput.newBuilder()
                                .addArgv("diff")
                                .addArgv("artifact:" + first.getSha256())
                                .addArgv("artifact:" + second.getSha256()))
                        .build(),
                first,
                second);

        Task local = inputs.fetch(task, workDir, new CompletableFuture<>());

        assertThat(local.getInput().getExec().getArgvList())
                .isEqualTo(List.of(
                        "diff",
                        workDir.resolve("trace.gfxtrace").toString(),
                        workDir.resolve(second.getSha256().substring(0, 12) + "-trace.gfxtrace")
                                .toString()));
    }

    @Test
    void resumesADownloadThatBrokeFromWhatArrived() throws Exception {
        byte[] content = ArtifactUploaderTest.randomBytes(500_000);
        Artifact video = store.put("video.mp4", content);
        store.breakNextDownloadAfter(3 * FakeArtifactStore.DOWNLOAD_CHUNK);

        inputs.fetch(task(ActionInput.getDefaultInstance(), video), workDir, new CompletableFuture<>());

        assertThat(Files.readAllBytes(workDir.resolve("video.mp4"))).isEqualTo(content);
        assertThat(Files.exists(workDir.resolve("video.mp4.part"))).isFalse();
    }

    @Test
    void refusesAnInputThatArrivesOtherThanAnnounced() throws Exception {
        Artifact trace = store.put("trace.gfxtrace", "frames".getBytes()).toBuilder()
                .setSize(1234)
                .build();

        ArtifactException wrong = catchThrowableOfType(
                ArtifactException.class,
                () -> inputs.fetch(task(ActionInput.getDefaultInstance(), trace), workDir, new CompletableFuture<>()));

        assertThat(wrong.retryable()).isFalse();
        assertThat(wrong.getMessage()
                        .endsWith("arrived with SHA-256 " + trace.getSha256() + " and 6 bytes; expected "
                                + trace.getSha256() + " and 1234 bytes"))
                .as(wrong.getMessage())
                .isTrue();
        assertThat(Files.exists(workDir.resolve("trace.gfxtrace"))).isFalse();
    }

    @Test
    void refusesAnInputWithoutAValidSha256() {
        Artifact bad = Artifact.newBuilder()
                .setName("trace.gfxtrace")
                .setSha256("../../etc/passwd")
                .build();

        ArtifactException refused = catchThrowableOfType(
                ArtifactException.class,
                () -> inputs.fetch(task(ActionInput.getDefaultInstance(), bad), workDir, new CompletableFuture<>()));

        assertThat(refused.getMessage())
                .isEqualTo("input artifact 'trace.gfxtrace' has no valid SHA-256: '../../etc/passwd'");
    }

    private static Task task(ActionInput input, Artifact... artifacts) {
        return Task.newBuilder()
                .setActionId("a1")
                .setAttempt(1)
                .setInput(input)
                .addAllInputs(List.of(artifacts))
                .build();
    }
}
