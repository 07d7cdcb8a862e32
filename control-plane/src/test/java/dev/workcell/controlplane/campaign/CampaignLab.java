package dev.workcell.controlplane.campaign;

import static io.restassured.RestAssured.given;

import com.google.protobuf.ByteString;
import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ArtifactService;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.UploadChunk;
import dev.workcell.proto.v1.UploadHeader;
import dev.workcell.proto.v1.UploadRequest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Multi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A lab for campaigns: one real agent whose fake adb serves a Pixel 8 and an x86_64 emulator, and
 * which serves its host as a target too, with trace, replay and report commands that copy the
 * package through (a trace fails when the package says "fail-on-SERIAL" for its device); packages
 * are uploaded as artifacts the way agents upload.
 */
final class CampaignLab implements AutoCloseable {

    static final String PIXEL = "37211FDJH008K2";
    static final String EMULATOR = "emulator-5554";

    final String host;
    private final AgentProcess agent;

    private CampaignLab(String host, AgentProcess agent) {
        this.host = host;
        this.agent = agent;
    }

    static CampaignLab start(int port) throws IOException {
        return start(port, null);
    }

    /** A lab whose traces wait until the file {@code go} exists in {@code gate} (none when null). */
    static CampaignLab start(int port, Path gate) throws IOException {
        String wait = gate == null ? "" : "until [ -e " + gate.resolve("go") + " ]; do sleep 0.05; done; ";
        String host = Api.unique("campaign-host");
        Map<String, String> settings = Map.ofEntries(
                Map.entry(
                        "workcell.agent.discovery.adb",
                        fakeAdb().resolve("fake-adb.sh").toString()),
                Map.entry("workcell.agent.discovery.interval", "300ms"),
                Map.entry("workcell.agent.serve-host", "true"),
                Map.entry(
                        "workcell.agent.operations.trace.command",
                        "sh,-c," + wait
                                + "if grep -q fail-on-{target_serial} {subject}; then echo no trace on {target_serial} >&2; exit 3; fi;"
                                + " cp {subject} {workdir}/trace.gfxtrace; echo traced on {target_serial} >> {workdir}/trace.gfxtrace"),
                Map.entry("workcell.agent.operations.trace.output", "{workdir}/trace.gfxtrace"),
                Map.entry(
                        "workcell.agent.operations.replay.command",
                        "sh,-c,cp {trace} {workdir}/video.mp4; echo replayed on {gapir_device}"),
                Map.entry("workcell.agent.operations.replay.output", "{workdir}/video.mp4"),
                Map.entry(
                        "workcell.agent.operations.report.command",
                        "sh,-c,echo report on {gapir_device} > {workdir}/report.txt"),
                Map.entry("workcell.agent.operations.report.output", "{workdir}/report.txt"));
        AgentProcess agent = AgentProcess.start(host, "", port, settings).awaitRegistered();
        awaitLiveWorkers(host, 3);
        return new CampaignLab(host, agent);
    }

    /** Waits until the host's agent has this many live workers (its phones and itself, discovered and registered). */
    private static void awaitLiveWorkers(String host, int count) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            String hostId = deviceOfSerial(host);
            return hostId != null
                    && Api.workersOfHost(hostId).stream()
                                    .filter(worker -> Boolean.TRUE.equals(worker.get("live")))
                                    .map(worker -> worker.get("target"))
                                    .distinct()
                                    .count()
                            >= count;
        });
    }

    /** The id of the device with this serial. */
    static String deviceOfSerial(String serial) {
        return given().get("/api/v1/devices")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("devices.find { it.serial == '" + serial + "' }.id");
    }

    /** The Pixel and the emulator of this lab's host, as device kinds (the host itself matches neither). */
    String kinds() {
        return """
                [{"name": "pixel", "dimensions": {"host": "%1$s", "model": "pixel 8"}},
                 {"name": "x86", "dimensions": {"host": "%1$s", "os": "android", "abi": "x86_64"}}]""".formatted(host);
    }

    /** Uploads a package (as an agent does) and returns its SHA-256. */
    static String upload(ArtifactService client, int port, String content) {
        ArtifactService asAgent = io.quarkus.grpc.GrpcClientUtils.attachHeaders(
                client,
                TestCredentials.headers(TestCredentials.agentCredential(
                        port,
                        Device.newBuilder()
                                .setName("campaign-uploader-" + TestCredentials.RUN)
                                .build())));
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha256 = sha256(bytes);
        asAgent.upload(Multi.createFrom()
                        .items(
                                UploadRequest.newBuilder()
                                        .setHeader(UploadHeader.newBuilder()
                                                .setSha256(sha256)
                                                .setSize(bytes.length)
                                                .setName("game.apk")
                                                .setContentType("application/vnd.android.package-archive"))
                                        .build(),
                                UploadRequest.newBuilder()
                                        .setChunk(UploadChunk.newBuilder()
                                                .setOffset(0)
                                                .setData(ByteString.copyFrom(bytes)))
                                        .build()))
                .await()
                .atMost(Duration.ofSeconds(30));
        return sha256;
    }

    /** Creates a subject over REST and returns its id. */
    static String subject(String name, String artifact, String api, String labels) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\": \"%s\", \"artifact\": \"%s\", \"api\": \"%s\", \"labels\": %s}"
                        .formatted(name, artifact, api, labels))
                .post("/api/v1/subjects")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /**
     * A campaign of {@code subjects} subjects of one vulkan package on this lab's two kinds: once run,
     * 3 × 2 × {@code subjects} actions, for tests that need many changes. Returns its id.
     */
    String bulkCampaign(ArtifactService artifacts, int port, int subjects) {
        String run = Api.unique("bulk");
        String artifact = upload(artifacts, port, "bench " + run);
        List<String> ids = IntStream.range(0, subjects)
                .mapToObj(i -> subject(i + " " + run, artifact, "vulkan", "{}"))
                .toList();
        return campaign("bulk " + run, ids, kinds());
    }

    /** Creates a campaign over REST and returns its id. */
    static String campaign(String name, List<String> subjectIds, String kinds) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\": \"%s\", \"subjectIds\": [%s], \"kinds\": %s}"
                        .formatted(
                                name,
                                String.join(
                                        ", ",
                                        subjectIds.stream().map(Api::quote).toList()),
                                kinds))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static Path fakeAdb() throws IOException {
        Path samples = Path.of("..", "edge-agent", "src", "test", "resources", "adb");
        Path dir = Files.createTempDirectory("fake-adb");
        try (var files = Files.list(samples)) {
            for (Path sample : files.toList()) {
                Files.copy(sample, dir.resolve(sample.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        dir.resolve("fake-adb.sh").toFile().setExecutable(true);
        Files.writeString(dir.resolve("plugged"), PIXEL + "\n" + EMULATOR + "\n");
        return dir;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        agent.close();
    }
}
