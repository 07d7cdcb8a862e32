package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.submit;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TcpProxy;
import dev.workcell.controlplane.testing.TestCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The agent as a device-lab engineer runs it: real agent processes, a fake adb that replays
 * recorded outputs, real task processes, artifacts, live logs, and an outbox that survives SIGKILL.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DeviceHostTest {

    static final Path ADB_SAMPLES = Path.of("..", "edge-agent", "src", "test", "resources", "adb");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    /** A copy of the recorded adb outputs with its own "plugged" list. */
    static Path fakeAdb(String... plugged) throws IOException {
        Path dir = Files.createTempDirectory("fake-adb");
        try (var samples = Files.list(ADB_SAMPLES)) {
            for (Path sample : samples.toList()) {
                Files.copy(sample, dir.resolve(sample.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        dir.resolve("fake-adb.sh").toFile().setExecutable(true);
        Files.writeString(dir.resolve("plugged"), String.join("\n", plugged) + "\n");
        return dir;
    }

    @Test
    void aTraceArtifactIsUploadedAndReplayedOnAnotherTarget() {
        String phoneA = unique("trace-phone");
        String phoneB = unique("replay-phone");
        Map<String, String> operations = Map.of(
                "workcell.agent.operations.trace.command", "sh,-c,echo trace of {subject} > {workdir}/trace.gfxtrace",
                "workcell.agent.operations.trace.output", "{workdir}/trace.gfxtrace",
                "workcell.agent.operations.replay.command", "sh,-c,cat {trace}; echo frames > {workdir}/video.mp4",
                "workcell.agent.operations.replay.output", "{workdir}/video.mp4");
        try (AgentProcess agent = AgentProcess.start(unique("lab-host"), phoneA + "," + phoneB, port, operations)
                .awaitRegistered()) {
            String traceId = submit("""
                    {"operation": "TRACE", "target": "%s", "input": {"trace": {"subject": "com.example.game", "api": "vulkan"}}}""".formatted(phoneA));
            JsonPath trace = awaitStatus(traceId, "SUCCEEDED");
            String traceRef = trace.getString("output.trace.trace");
            assertThat(traceRef).startsWith("artifact:");
            String sha256 = traceRef.substring("artifact:".length());
            assertThat(given().get("/api/v1/artifacts/" + sha256)
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .isEqualTo("trace of com.example.game\n");

            String replayId = submit("""
                    {"operation": "REPLAY", "target": "%s", "input": {"replay": {"trace": "%s", "api": "vulkan"}}}""".formatted(phoneB, traceRef));
            JsonPath replay = awaitStatus(replayId, "SUCCEEDED");

            assertThat(replay.getString("output.stdoutTail")).contains("trace of com.example.game");
            assertThat(replay.getString("output.replay.video")).startsWith("artifact:");
            assertThat(replay.getString("target")).isNotEqualTo(trace.getString("target"));
        }
    }

    @Test
    void aClientFollowsTheLogOfALongTaskWhileItRuns() throws Exception {
        String phone = unique("log-phone");
        try (AgentProcess agent =
                AgentProcess.start(unique("log-host"), phone, port).awaitRegistered()) {
            String id = submitShell(phone, "for i in 1 2 3 4 5 6; do echo line $i; sleep 0.4; done");
            awaitStatus(id, "RUNNING");
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpClient.newHttpClient()
                    .sendAsync(
                            HttpRequest.newBuilder(URI.create(
                                            "http://localhost:" + port + "/api/v1/actions/" + id + "/log?follow=true"))
                                    .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN))
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream())
                    .thenAcceptAsync(response -> {
                        try (BufferedReader reader =
                                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                            reader.lines().forEach(lines::add);
                            lines.add("<end>");
                        } catch (IOException e) {
                            lines.add("<error " + e + ">");
                        }
                    });

            String first = lines.poll(10, TimeUnit.SECONDS);
            String statusAtFirstLine = Api.action(id).getString("status");

            assertThat(first).isEqualTo("line 1");
            assertThat(statusAtFirstLine)
                    .as("the first line arrives while the task runs")
                    .isEqualTo("RUNNING");
            for (int i = 2; i <= 6; i++) {
                assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("line " + i);
            }
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("<end>");
            awaitStatus(id, "SUCCEEDED");
        }
    }

    @Test
    void cancellingKillsTheWholeProcessTree() throws Exception {
        String phone = unique("tree-phone");
        String marker = "299." + (100000 + new java.util.Random().nextInt(800000));
        try (AgentProcess agent =
                AgentProcess.start(unique("tree-host"), phone, port).awaitRegistered()) {
            String id = submitShell(phone, "sleep " + marker + " & sleep " + marker + " & wait");
            awaitStatus(id, "RUNNING");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (processesWith(marker) < 2 && System.nanoTime() < deadline) {
                Api.sleep(50);
            }
            assertThat(processesWith(marker)).isEqualTo(2);

            given().post("/api/v1/actions/" + id + "/cancel").then().statusCode(200);
            awaitStatus(id, Set.of("CANCELLED"), Duration.ofSeconds(20));

            assertThat(processesWith(marker)).as("orphans left").isZero();
        }
    }

    @Test
    void aTaskWhoseDeviceGoesOfflineMidRunIsRetriedAndSucceeds() throws Exception {
        Path adb = fakeAdb("emulator-5554");
        // the phone is lost once it stays unplugged for the loss confirmation: well within the task's 3 s
        Map<String, String> discovery = Map.of(
                "workcell.agent.discovery.adb", adb.resolve("fake-adb.sh").toString(),
                "workcell.agent.discovery.interval", "300ms",
                "workcell.agent.discovery.loss-confirmation", "500ms");
        try (AgentProcess agent =
                AgentProcess.start(unique("adb-host"), "", port, discovery).awaitRegistered()) {
            String id = submitShell("emulator-5554", "sleep 3; echo survived " + UUID.randomUUID());
            awaitStatus(id, "RUNNING");

            long unplugged = System.nanoTime();
            Files.writeString(adb.resolve("plugged"), "");
            JsonPath lost = awaitStatus(id, Set.of("QUEUED"), Duration.ofSeconds(10));
            assertThat(System.nanoTime() - unplugged).isLessThan(TimeUnit.SECONDS.toNanos(10));
            assertThat(lost.getString("failure")).isEqualTo("DEVICE_LOST");

            Files.writeString(adb.resolve("plugged"), "emulator-5554\n");
            JsonPath done = awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(30));
            assertThat(done.getInt("attempt")).isEqualTo(2);
            assertThat(given().get("/api/v1/devices")
                            .then()
                            .extract()
                            .jsonPath()
                            .getList("devices.findAll { it.serial == 'emulator-5554' }.id"))
                    .hasSize(1);
        }
    }

    @Test
    void anAgentKilledBetweenFinishingATaskAndDeliveringItDeliversItAfterRestartOnce() throws Exception {
        String host = unique("outbox-host");
        String phone = unique("outbox-phone");
        Path runs = Files.createTempFile("outbox-runs", ".txt");
        try (TcpProxy network = new TcpProxy(port)) {
            AgentProcess first = AgentProcess.start(host, phone, network.port()).awaitRegistered();
            String id = submitShell(phone, "echo run >> " + runs + "; sleep 2; echo delivered late");
            awaitStatus(id, "RUNNING");

            network.goDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!first.logText().contains(id) || Files.readAllLines(runs).isEmpty()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Api.sleep(50);
            }
            Api.sleep(3500); // the task sleeps 2 s, then its result can only go to the outbox
            first.kill();
            assertThat(Api.action(id).getString("status")).isEqualTo("RUNNING");

            network.comeBack();
            try (AgentProcess second =
                    AgentProcess.start(host, phone, network.port()).awaitRegistered()) {
                JsonPath done = awaitStatus(id, "SUCCEEDED");

                assertThat(done.getInt("attempt")).isEqualTo(1);
                assertThat(done.getString("output.stdoutTail")).contains("delivered late");
                assertThat(Files.readAllLines(runs)).containsExactly("run");
                assertThat(events(id))
                        .extracting(event -> event.get("to"))
                        .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
                LedgerAudit.ofRunningApp().assertConsistent(List.of(id));
            }
        }
    }

    @Test
    void anAgentWhoseNetworkStallsIsTakenOfflineReconnectsAndDeliversOnce() throws Exception {
        String host = unique("stalled-host");
        String phone = unique("stalled-phone");
        Path runs = Files.createTempFile("stalled-runs", ".txt");
        try (TcpProxy network = new TcpProxy(port);
                AgentProcess agent =
                        AgentProcess.start(host, phone, network.port()).awaitRegistered()) {
            String id = submitShell(phone, "echo run >> " + runs + "; sleep 1; echo through the stall");
            List<String> queued = List.of(submitShell(phone, "echo next 1"), submitShell(phone, "echo next 2"));
            awaitStatus(id, "RUNNING");

            network.stallAll();
            agent.awaitRegistered(2, Duration.ofSeconds(40));
            JsonPath done = awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(30));
            queued.forEach(next -> awaitStatus(next, "SUCCEEDED"));

            assertThat(done.getInt("attempt")).isEqualTo(1);
            assertThat(Files.readAllLines(runs)).containsExactly("run");
            assertThat(events(id))
                    .extracting(event -> event.get("to"))
                    .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
            LedgerAudit.ofRunningApp().assertConsistent(List.of(id, queued.get(0), queued.get(1)));
        }
    }

    private static long processesWith(String marker) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info()
                        .command()
                        .map(command -> command.endsWith("sleep"))
                        .orElse(false))
                .filter(process -> process.info()
                        .commandLine()
                        .map(line -> line.contains(marker))
                        .orElse(false))
                .count();
    }
}
