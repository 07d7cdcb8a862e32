package dev.workcell.agent.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void shouldDownloadEachInputUnderItsNameAndPutItsPathWhereTheInputReferredToIt() throws Exception {
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
        assertEquals("frames", Files.readString(file));
        assertEquals(file.toString(), local.getInput().getReplay().getTrace());
        assertEquals(
                Map.of("baseline", "--compare=" + file),
                local.getInput().getReplay().getParamsMap());
        assertEquals("vulkan", local.getInput().getReplay().getApi());
    }

    @Test
    void shouldReplaceReferencesInExecArgumentsAndEnvironment() throws Exception {
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
        assertEquals(List.of("adb", "install", path), local.getInput().getExec().getArgvList());
        assertEquals(Map.of("APK", path), local.getInput().getExec().getEnvMap());
    }

    @Test
    void shouldGiveTwoInputsWithTheSameNameTwoFiles() throws Exception {
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

        assertEquals(
                List.of(
                        "diff",
                        workDir.resolve("trace.gfxtrace").toString(),
                        workDir.resolve(second.getSha256().substring(0, 12) + "-trace.gfxtrace")
                                .toString()),
                local.getInput().getExec().getArgvList());
    }

    @Test
    void shouldResumeADownloadThatBrokeFromWhatArrived() throws Exception {
        byte[] content = ArtifactUploaderTest.randomBytes(500_000);
        Artifact video = store.put("video.mp4", content);
        store.breakNextDownloadAfter(3 * FakeArtifactStore.DOWNLOAD_CHUNK);

        inputs.fetch(task(ActionInput.getDefaultInstance(), video), workDir, new CompletableFuture<>());

        assertArrayEquals(content, Files.readAllBytes(workDir.resolve("video.mp4")));
        assertFalse(Files.exists(workDir.resolve("video.mp4.part")));
    }

    @Test
    void shouldRefuseAnInputThatArrivesOtherThanAnnounced() throws Exception {
        Artifact trace = store.put("trace.gfxtrace", "frames".getBytes()).toBuilder()
                .setSize(1234)
                .build();

        ArtifactException wrong = assertThrows(
                ArtifactException.class,
                () -> inputs.fetch(task(ActionInput.getDefaultInstance(), trace), workDir, new CompletableFuture<>()));

        assertFalse(wrong.retryable());
        assertTrue(
                wrong.getMessage()
                        .endsWith("arrived with SHA-256 " + trace.getSha256() + " and 6 bytes; expected "
                                + trace.getSha256() + " and 1234 bytes"),
                wrong.getMessage());
        assertFalse(Files.exists(workDir.resolve("trace.gfxtrace")));
    }

    @Test
    void shouldRefuseAnInputWithoutAValidSha256() {
        Artifact bad = Artifact.newBuilder()
                .setName("trace.gfxtrace")
                .setSha256("../../etc/passwd")
                .build();

        ArtifactException refused = assertThrows(
                ArtifactException.class,
                () -> inputs.fetch(task(ActionInput.getDefaultInstance(), bad), workDir, new CompletableFuture<>()));

        assertEquals("input artifact 'trace.gfxtrace' has no valid SHA-256: '../../etc/passwd'", refused.getMessage());
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
