package dev.workcell.agent.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workcell.agent.artifact.FakeArtifactStore.Upload;
import dev.workcell.proto.v1.Artifact;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactUploaderTest {

    @TempDir
    Path dir;

    private final FakeArtifactStore store = new FakeArtifactStore();
    private final LoopbackServer controlPlane = LoopbackServer.serving(store);
    private final ArtifactUploader uploader = new ArtifactUploader(controlPlane.channel());

    @AfterEach
    void stop() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void uploadsAFileInChunksUnderItsSha256() throws Exception {
        byte[] content = randomBytes(1_000_000);
        Artifact artifact = artifactOf("video.mp4", content);

        uploader.upload(write("video.mp4", content), artifact);

        assertThat(store.content(artifact.getSha256())).isEqualTo(content);
        assertThat(store.uploads()).isEqualTo(List.of(new Upload(artifact.getSha256(), 0)));
    }

    @Test
    void doesNotUploadWhatTheControlPlaneAlreadyHas() throws Exception {
        byte[] content = randomBytes(10_000);
        Artifact artifact = store.put("trace.gfxtrace", content);

        uploader.upload(write("copy.gfxtrace", content), artifactOf("copy.gfxtrace", content));

        assertThat(store.uploads()).isEqualTo(List.of());
        assertThat(artifactOf("copy.gfxtrace", content).getSha256()).isEqualTo(artifact.getSha256());
    }

    @Test
    void resumesABrokenUploadFromWhatTheControlPlaneReceived() throws Exception {
        byte[] content = randomBytes(2_000_000);
        Artifact artifact = artifactOf("video.mp4", content);
        Path file = write("video.mp4", content);
        store.breakNextUploadAfter(600_000);

        ArtifactException broken = catchThrowableOfType(ArtifactException.class, () -> uploader.upload(file, artifact));
        assertThat(broken.retryable()).isTrue();
        assertThat(broken.getMessage().contains("broke: UNAVAILABLE: connection cut by the test"))
                .as(broken.getMessage())
                .isTrue();
        long received = store.received(artifact.getSha256());
        assertThat(received >= 600_000 && received < content.length)
                .as(received + " bytes received")
                .isTrue();

        uploader.upload(file, artifact);

        assertThat(store.content(artifact.getSha256())).isEqualTo(content);
        assertThat(store.uploads())
                .isEqualTo(List.of(new Upload(artifact.getSha256(), 0), new Upload(artifact.getSha256(), received)));
    }

    @Test
    void failsForGoodWithTheControlPlanesReasonWhenItRefusesTheSize() throws Exception {
        byte[] content = randomBytes(5_000);
        store.limitSize(4_096);

        ArtifactException refused = catchThrowableOfType(
                ArtifactException.class,
                () -> uploader.upload(write("video.mp4", content), artifactOf("video.mp4", content)));

        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage())
                .isEqualTo("the upload of artifact video.mp4 (" + Sha256.brief(FakeArtifactStore.sha256(content))
                        + ", 5000 bytes) was refused by the control plane: RESOURCE_EXHAUSTED: artifact of 5000 bytes is over the limit"
                        + " of 4096 bytes (workcell.artifacts.max-bytes)");
    }

    @Test
    void failsForGoodWhenTheContentDoesNotHaveItsSha256() throws Exception {
        byte[] content = randomBytes(5_000);
        Artifact wrong = artifactOf("video.mp4", randomBytes(4_999)).toBuilder()
                .setSize(content.length)
                .build();

        ArtifactException refused = catchThrowableOfType(
                ArtifactException.class, () -> uploader.upload(write("video.mp4", content), wrong));

        assertThat(refused.retryable()).as(refused.getMessage()).isFalse();
        assertThat(refused.getMessage()
                        .endsWith("was refused by the control plane: DATA_LOSS: content of artifact "
                                + wrong.getSha256() + " has SHA-256 " + FakeArtifactStore.sha256(content)
                                + "; it was discarded, upload it again"))
                .as(refused.getMessage())
                .isTrue();
        assertThat(store.received(wrong.getSha256()))
                .as("the corrupt content was kept")
                .isEqualTo(0);
    }

    @Test
    void saysAnUnreachableControlPlaneIsWorthRetrying() throws Exception {
        byte[] content = randomBytes(100);
        ManagedChannel nowhere = NettyChannelBuilder.forAddress("127.0.0.1", unusedPort())
                .usePlaintext()
                .build();
        try {
            ArtifactException unreachable = catchThrowableOfType(
                    ArtifactException.class,
                    () -> new ArtifactUploader(nowhere).upload(write("a.bin", content), artifactOf("a.bin", content)));

            assertThat(unreachable.retryable()).isTrue();
            assertThat(unreachable.getMessage().contains("broke: UNAVAILABLE"))
                    .as(unreachable.getMessage())
                    .isTrue();
        } finally {
            nowhere.shutdownNow();
        }
    }

    private Path write(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    static Artifact artifactOf(String name, byte[] content) {
        return Artifact.newBuilder()
                .setSha256(FakeArtifactStore.sha256(content))
                .setName(name)
                .setSize(content.length)
                .setContentType(ContentTypes.of(name))
                .build();
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static int unusedPort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
