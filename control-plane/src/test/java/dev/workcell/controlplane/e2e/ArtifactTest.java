package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.google.protobuf.ByteString;
import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TcpProxy;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ArtifactRequest;
import dev.workcell.proto.v1.ArtifactService;
import dev.workcell.proto.v1.ArtifactStatus;
import dev.workcell.proto.v1.DownloadChunk;
import dev.workcell.proto.v1.DownloadRequest;
import dev.workcell.proto.v1.UploadChunk;
import dev.workcell.proto.v1.UploadHeader;
import dev.workcell.proto.v1.UploadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.mutiny.Multi;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Content-addressed artifacts over real gRPC and REST, stored in the real PostgreSQL. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ArtifactTest {

    static final int CHUNK = 64 * 1024;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @GrpcClient("artifacts")
    ArtifactService client;

    /** Uploads come from agents: the client with the credential of an enrolled test agent. */
    ArtifactService artifacts;

    @org.junit.jupiter.api.BeforeEach
    void asAnAgent() {
        artifacts = io.quarkus.grpc.GrpcClientUtils.attachHeaders(
                client,
                TestCredentials.headers(TestCredentials.agentCredential(
                        dev.workcell.controlplane.testing.Api.testPort(),
                        dev.workcell.proto.v1.Device.newBuilder()
                                .setName("artifact-host-" + TestCredentials.RUN)
                                .build())));
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random().nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static UploadRequest header(String sha256, long size, String name) {
        return UploadRequest.newBuilder()
                .setHeader(UploadHeader.newBuilder()
                        .setSha256(sha256)
                        .setSize(size)
                        .setName(name)
                        .setContentType("application/octet-stream"))
                .build();
    }

    /** The header, then chunks of the content from an offset up to (not including) an end. */
    static List<UploadRequest> upload(String sha256, byte[] content, int from, int to) {
        List<UploadRequest> requests = new ArrayList<>(List.of(header(sha256, content.length, "blob.bin")));
        for (int offset = from; offset < to; offset += CHUNK) {
            int end = Math.min(to, offset + CHUNK);
            requests.add(UploadRequest.newBuilder()
                    .setChunk(UploadChunk.newBuilder()
                            .setOffset(offset)
                            .setData(ByteString.copyFrom(content, offset, end - offset)))
                    .build());
        }
        return requests;
    }

    ArtifactStatus status(String sha256) {
        return artifacts
                .status(ArtifactRequest.newBuilder().setSha256(sha256).build())
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    Artifact send(List<UploadRequest> requests) {
        return artifacts.upload(Multi.createFrom().iterable(requests)).await().atMost(Duration.ofSeconds(30));
    }

    byte[] download(String sha256, long offset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        artifacts
                .download(DownloadRequest.newBuilder()
                        .setSha256(sha256)
                        .setOffset(offset)
                        .build())
                .subscribe()
                .asStream()
                .map(DownloadChunk::getData)
                .forEach(data -> out.writeBytes(data.toByteArray()));
        return out.toByteArray();
    }

    @Test
    void anUploadedArtifactIsVerifiedAndDownloadsByteForByte() throws Exception {
        byte[] content = randomBytes(300_000);
        String sha256 = sha256(content);

        Artifact stored = send(upload(sha256, content, 0, content.length));

        assertThat(stored.getSha256()).isEqualTo(sha256);
        assertThat(stored.getSize()).isEqualTo(content.length);
        assertThat(download(sha256, 0)).isEqualTo(content);
        assertThat(download(sha256, 100_001)).isEqualTo(java.util.Arrays.copyOfRange(content, 100_001, content.length));
        Response rest = given().get("/api/v1/artifacts/" + sha256)
                .then()
                .statusCode(200)
                .extract()
                .response();
        assertThat(rest.header("Content-Length")).isEqualTo(Integer.toString(content.length));
        assertThat(rest.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(rest.header("Content-Disposition")).contains("blob.bin");
        assertThat(rest.asByteArray()).isEqualTo(content);
    }

    @Test
    void anUploadBrokenInTheMiddleResumesFromWhatTheControlPlaneHolds() throws Exception {
        byte[] content = randomBytes(5 * CHUNK + 123);
        String sha256 = sha256(content);
        List<UploadRequest> firstHalf = upload(sha256, content, 0, 3 * CHUNK);

        Multi<UploadRequest> cutAfterFirstHalf = Multi.createBy()
                .concatenating()
                .streams(
                        Multi.createFrom().iterable(firstHalf),
                        Multi.createFrom()
                                .<UploadRequest>emitter(emitter -> {
                                    // the connection breaks once the control plane has stored what was sent
                                    while (status(sha256).getReceived() < 3L * CHUNK) {
                                        dev.workcell.controlplane.testing.Api.sleep(20);
                                    }
                                    emitter.fail(new IllegalStateException("network cut"));
                                })
                                .runSubscriptionOn(java.util.concurrent.ForkJoinPool.commonPool()));
        Throwable broken = catchThrowableOfType(
                Throwable.class,
                () -> artifacts.upload(cutAfterFirstHalf).await().atMost(Duration.ofSeconds(10)));
        assertThat(broken).isNotNull();
        ArtifactStatus afterCut = status(sha256);
        assertThat(afterCut.getComplete()).isFalse();
        assertThat(afterCut.getReceived()).isEqualTo(3L * CHUNK);

        Artifact resumed = send(upload(sha256, content, (int) afterCut.getReceived(), content.length));

        assertThat(resumed.getSize()).isEqualTo(content.length);
        assertThat(status(sha256).getComplete()).isTrue();
        assertThat(download(sha256, 0)).isEqualTo(content);
    }

    @Test
    void aCompleteArtifactIsNotUploadedAgain() throws Exception {
        byte[] content = randomBytes(10_000);
        String sha256 = sha256(content);
        send(upload(sha256, content, 0, content.length));

        Artifact again = send(List.of(header(sha256, content.length, "blob.bin")));

        assertThat(again.getSha256()).isEqualTo(sha256);
        assertThat(status(sha256).getComplete()).isTrue();
    }

    @Test
    void anArtifactOverTheSizeLimitIsRefusedWithAClearError() {
        StatusRuntimeException refused = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> send(List.of(header("a".repeat(64), 10L * 1024 * 1024, "huge.bin"))));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(refused.getStatus().getDescription()).contains("over the limit of 4194304 bytes");
        assertThat(status("a".repeat(64)).getSize()).as("nothing stored").isZero();
    }

    @Test
    void contentThatDoesNotMatchItsSha256IsDiscarded() {
        byte[] content = randomBytes(1000);
        String wrong = "b".repeat(64);

        StatusRuntimeException refused = catchThrowableOfType(
                StatusRuntimeException.class, () -> send(upload(wrong, content, 0, content.length)));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS);
        assertThat(status(wrong).getSize()).as("discarded").isZero();
    }

    @Test
    void aChunkAtTheWrongOffsetIsRefusedWithWhereToResume() throws Exception {
        byte[] content = randomBytes(3 * CHUNK);
        String sha256 = sha256(content);
        List<UploadRequest> skipping = new ArrayList<>(upload(sha256, content, 0, CHUNK));
        skipping.addAll(upload(sha256, content, 2 * CHUNK, 3 * CHUNK).subList(1, 2));

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () -> send(skipping));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getStatus().getDescription()).contains("resume from " + CHUNK);
    }

    /**
     * The agent's copy of an output file is damaged while it waits in the outbox (the network is down):
     * the control plane discards the upload with DATA_LOSS, and the agent gives up instead of sending it for ever.
     */
    @Test
    void aRealAgentGivesUpAnOutputThatNoLongerHasItsSha256AndTheActionFailsSayingWhy() throws Exception {
        String host = unique("corrupt-host");
        String phone = unique("corrupt-phone");
        Path go = Files.createTempDirectory("corrupt-upload").resolve("go");
        Map<String, String> settings =
                Map.of("workcell.agent.exec.outputs", "*.bin", "workcell.agent.reconnect.max-delay", "500ms");
        try (TcpProxy network = new TcpProxy(port);
                AgentProcess agent = AgentProcess.start(host, phone, network.port(), settings)
                        .awaitRegistered()) {
            String id = submitShell(
                    phone, "head -c 200000 /dev/urandom > capture.bin; while [ ! -e " + go + " ]; do sleep 0.1; done");
            awaitStatus(id, "RUNNING");

            network.goDown();
            Files.writeString(go, "");
            Path blob = await().atMost(Duration.ofSeconds(20))
                    .until(() -> spooledBlob(host), Optional::isPresent)
                    .orElseThrow();
            try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
                int first = file.read();
                file.seek(0);
                file.write(first ^ 0xff);
            }
            network.comeBack();
            JsonPath failed = awaitStatus(id, Set.of("FAILED"), Duration.ofSeconds(30));

            assertThat(failed.getString("failure")).isEqualTo("AGENT_ERROR");
            assertThat(failed.getInt("attempt")).isEqualTo(1);
            assertThat(failed.getString("error"))
                    .startsWith("the upload of artifact capture.bin (")
                    .contains("200000 bytes) was refused by the control plane: DATA_LOSS: content of artifact ")
                    .endsWith("; it was discarded, upload it again");
            assertThat(failed.getList("output.artifacts")).isEmpty();
            assertThat(agent.count("DATA_LOSS")).isEqualTo(1);
        }
    }

    private static Optional<Path> spooledBlob(String host) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(AgentProcess.workDir(host))) {
            return files.filter(file ->
                            file.getParent().getFileName().toString().equals("blobs") && Files.isRegularFile(file))
                    .findFirst();
        }
    }

    @Test
    void unknownAndMalformedArtifactsAreRefused() {
        given().get("/api/v1/artifacts/" + "c".repeat(64))
                .then()
                .statusCode(404)
                .body("error", containsString("no artifact"));
        given().get("/api/v1/artifacts/not-a-sha").then().statusCode(400).body("error", containsString("SHA-256"));
        given().contentType("application/json")
                .body("{\"operation\": \"REPLAY\", \"target\": \"any\", \"input\": {\"replay\": {\"trace\": \"artifact:"
                        + "d".repeat(64) + "\"}}}")
                .post("/api/v1/actions")
                .then()
                .statusCode(404)
                .body("error", containsString("input.replay.trace: no artifact"));
    }
}
