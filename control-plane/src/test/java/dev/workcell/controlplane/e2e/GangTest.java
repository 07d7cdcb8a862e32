package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.e2e.DimensionsTest.EMULATOR;
import static dev.workcell.controlplane.e2e.DimensionsTest.PIXEL;
import static dev.workcell.controlplane.e2e.DimensionsTest.awaitLive;
import static dev.workcell.controlplane.e2e.DimensionsTest.deviceOfSerial;
import static dev.workcell.controlplane.testing.Api.action;
import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.quote;
import static dev.workcell.controlplane.testing.Api.submit;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.LedgerProbe;
import dev.workcell.controlplane.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Device sets (gangs) against a real agent whose fake adb serves a Pixel 8 and an x86_64 emulator on
 * one host: an action asking for both gets both at once or waits holding neither.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GangTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    Pool pool;

    AgentProcess agentWithPhones(String host) throws IOException {
        return AgentProcess.start(
                        host,
                        "",
                        port,
                        Map.of(
                                "workcell.agent.discovery.adb",
                                DeviceHostTest.fakeAdb(PIXEL, EMULATOR)
                                        .resolve("fake-adb.sh")
                                        .toString(),
                                "workcell.agent.discovery.interval",
                                "300ms"))
                .awaitRegistered();
    }

    /** A gang: the task runs on the Pixel, with the emulator as its companion; it prints what it was given. */
    static String submitPixelWithEmulator(String host, String script) {
        return submit("""
                {"operation": "EXEC", "dimensions": {"host": "%1$s", "model": "pixel 8"},
                 "companions": [{"dimensions": {"host": "%1$s", "abi": "x86_64"}}],
                 "input": {"exec": {"argv": ["sh", "-c", %2$s]}}}""".formatted(host, quote(script)));
    }

    static String waitFor(Path file) {
        return "while [ ! -e " + file + " ]; do sleep 0.05; done; ";
    }

    long heldRowsOf(String actionId) {
        return pool.preparedQuery("SELECT count(*) AS n FROM live_actions WHERE status = 'HELD' AND id LIKE $1 || '@%'")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(actionId))
                .map(rows -> rows.iterator().next().getLong("n"))
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    @Test
    void aGangWaitsHoldingNoneOfItsDevicesThenRunsWithAllOfThemAndTheCompanionIsHeldMeanwhile() throws IOException {
        String host = unique("gang-host");
        Path gates = Files.createTempDirectory("gang-gates");
        try (AgentProcess agent = agentWithPhones(host)) {
            awaitLive(host, PIXEL, EMULATOR);
            String pixel = deviceOfSerial(PIXEL);
            String emulator = deviceOfSerial(EMULATOR);

            String blocker = submitShell(emulator, waitFor(gates.resolve("blocker")) + "echo blocker done");
            awaitStatus(blocker, Set.of("RUNNING"), Duration.ofSeconds(20));
            String gang = submitPixelWithEmulator(
                    host,
                    waitFor(gates.resolve("gang"))
                            + "echo \"serial=$ANDROID_SERIAL companions=$WORKCELL_COMPANION_SERIALS\"");

            // While its companion is busy the gang waits, and holds nothing: the Pixel still runs other work.
            String onPixel = submitShell(pixel, "echo pixel was free");
            assertThat(awaitStatus(onPixel, Set.of("SUCCEEDED"), Duration.ofSeconds(20))
                            .getString("target"))
                    .isEqualTo(pixel);
            assertThat(action(gang).getString("status")).isEqualTo("QUEUED");
            assertThat(heldRowsOf(gang)).isZero();
            given().get("/api/v1/actions/" + gang + "/pending")
                    .then()
                    .statusCode(200)
                    .body("reason", Matchers.equalTo("COMPANIONS_NOT_FREE"))
                    .body("summary", Matchers.containsString("1 companion device of the same host"));

            Files.createFile(gates.resolve("blocker"));
            JsonPath running = awaitStatus(gang, Set.of("RUNNING"), Duration.ofSeconds(20));
            assertThat(running.getString("target")).isEqualTo(pixel);
            assertThat(running.getList("companions")).containsExactly(emulator);
            assertThat(heldRowsOf(gang)).isEqualTo(1);

            // The companion takes no other work while the gang holds it.
            String onEmulator = submitShell(emulator, "echo emulator after the gang");
            Awaitility.await()
                    .during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> action(onEmulator).getString("status").equals("QUEUED"));
            given().get("/api/v1/actions/" + onEmulator + "/pending")
                    .then()
                    .statusCode(200)
                    .body(Matchers.containsString(gang));

            Files.createFile(gates.resolve("gang"));
            JsonPath done = awaitStatus(gang, Set.of("SUCCEEDED"), Duration.ofSeconds(20));
            assertThat(done.getString("output.stdoutTail")).contains("serial=" + PIXEL + " companions=" + EMULATOR);
            assertThat(events(gang))
                    .anySatisfy(event -> assertThat((String) event.get("reason"))
                            .contains("on device " + pixel)
                            .contains("with companions " + emulator));
            JsonPath after = awaitStatus(onEmulator, Set.of("SUCCEEDED"), Duration.ofSeconds(20));
            assertThat(Instant.parse(after.getString("startedAt")))
                    .isAfterOrEqualTo(Instant.parse(done.getString("finishedAt")));
            assertThat(heldRowsOf(gang)).isZero();
            LedgerAudit.ofRunningApp().assertConsistent(List.of(blocker, gang, onPixel, onEmulator));
        }
    }

    @Test
    void gangsAndSingleActionsCompetingForTheSameDevicesAllFinishAndNeverShareADevice() throws IOException {
        String host = unique("gangs-host");
        try (AgentProcess agent = agentWithPhones(host)) {
            awaitLive(host, PIXEL, EMULATOR);
            String pixel = deviceOfSerial(PIXEL);
            String emulator = deviceOfSerial(EMULATOR);
            List<String> gangs = new ArrayList<>();
            List<String> singles = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                gangs.add(submit("""
                        {"operation": "EXEC", "dimensions": {"host": "%1$s", "os": "android"},
                         "companions": [{"dimensions": {"host": "%1$s", "os": "android"}}],
                         "input": {"exec": {"argv": ["sh", "-c", "sleep 0.3; echo gang %2$d"]}}}""".formatted(host, i)));
                singles.add(submitShell(i % 2 == 0 ? pixel : emulator, "sleep 0.2; echo single " + i));
            }
            List<String> all = new ArrayList<>(gangs);
            all.addAll(singles);
            Map<String, List<Interval>> byDevice = new java.util.HashMap<>();
            for (String id : all) {
                JsonPath done = awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(60));
                Interval ran = new Interval(
                        id, Instant.parse(done.getString("startedAt")), Instant.parse(done.getString("finishedAt")));
                byDevice.computeIfAbsent(done.getString("target"), device -> new ArrayList<>())
                        .add(ran);
                done.getList("companions", String.class)
                        .forEach(companion -> byDevice.computeIfAbsent(companion, device -> new ArrayList<>())
                                .add(ran));
            }
            for (String gang : gangs) {
                JsonPath done = action(gang);
                assertThat(Set.of(done.getString("target"), done.getString("companions[0]")))
                        .containsExactlyInAnyOrder(pixel, emulator);
            }
            byDevice.forEach((device, intervals) -> {
                intervals.sort(java.util.Comparator.comparing(Interval::start));
                for (int i = 1; i < intervals.size(); i++) {
                    assertThat(intervals.get(i).start())
                            .as(
                                    "%s on device %s starts after %s ended",
                                    intervals.get(i).id(),
                                    device,
                                    intervals.get(i - 1).id())
                            .isAfterOrEqualTo(intervals.get(i - 1).end());
                }
            });
            LedgerAudit.ofRunningApp().assertConsistent(all);
        }
    }

    record Interval(String id, Instant start, Instant end) {}

    @Test
    void aGangWhoseAgentIsKilledLetsGoOfItsCompanionWithTheLostAttemptAndRunsAgainWithBoth() throws IOException {
        String host = unique("gang-kill-host");
        Path first = Files.createTempDirectory("gang-kill").resolve("first-attempt");
        String marker = "59." + (100 + new java.util.Random().nextInt(800));
        AgentProcess agent = agentWithPhones(host);
        try {
            awaitLive(host, PIXEL, EMULATOR);
            String gang = submitPixelWithEmulator(
                    host,
                    "if [ -e " + first + " ]; then echo second attempt; else touch " + first + "; sleep " + marker
                            + "; fi");
            awaitStatus(gang, Set.of("RUNNING"), Duration.ofSeconds(20));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(first));
            assertThat(heldRowsOf(gang)).isEqualTo(1);

            agent.kill();
            agent = agentWithPhones(host);
            JsonPath done = awaitStatus(gang, Set.of("SUCCEEDED"), Duration.ofSeconds(60));

            assertThat(done.getInt("attempt")).isEqualTo(2);
            assertThat(done.getString("output.stdoutTail")).contains("second attempt");
            assertThat(done.getList("companions")).containsExactly(deviceOfSerial(EMULATOR));
            assertThat(heldRowsOf(gang)).isZero();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.allProcesses()
                            .noneMatch(process -> process.info()
                                    .commandLine()
                                    .map(line -> line.contains("sleep " + marker))
                                    .orElse(false)));
            LedgerAudit.ofRunningApp().assertConsistent(List.of(gang));
        } finally {
            agent.close();
        }
    }

    @Test
    void aGangThatWaitedPastTheReserveDelayRunsBeforeTheSingleActionsSubmittedAfterIt() throws IOException {
        String host = unique("reserve-host");
        try (AgentProcess agent = agentWithPhones(host)) {
            awaitLive(host, PIXEL, EMULATOR);
            String pixel = deviceOfSerial(PIXEL);
            String emulator = deviceOfSerial(EMULATOR);
            // out of step, so that one of the two devices is always busy while their queues last
            String offset = submitShell(emulator, "sleep 0.25");
            String gang = submitPixelWithEmulator(host, "echo gang");
            List<String> pixelWork = new ArrayList<>();
            List<String> emulatorWork = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                pixelWork.add(submitShell(pixel, "sleep 0.5; echo pixel " + i));
                emulatorWork.add(submitShell(emulator, "sleep 0.5; echo emulator " + i));
            }
            // test profile: workcell.scheduler.gang-reserve-after=2s, each queue holds about 5 s of work
            Instant gangStarted = Instant.parse(awaitStatus(gang, Set.of("SUCCEEDED"), Duration.ofSeconds(60))
                    .getString("startedAt"));
            for (List<String> queue : List.of(pixelWork, emulatorWork)) {
                String last = queue.get(queue.size() - 1);
                assertThat(Instant.parse(awaitStatus(last, Set.of("SUCCEEDED"), Duration.ofSeconds(60))
                                .getString("startedAt")))
                        .as("the last single action of a device submitted after the gang starts after it")
                        .isAfter(gangStarted);
            }
            List<String> all = new ArrayList<>(pixelWork);
            all.addAll(emulatorWork);
            all.add(offset);
            all.add(gang);
            LedgerAudit.ofRunningApp().assertConsistent(all);
        }
    }

    @Test
    void companionsThatCannotBeMetAreRefusedAndNothingIsWritten() {
        long rows = new LedgerProbe(pool).rows();
        given().contentType(ContentType.JSON)
                .body("""
                        {"operation": "EXEC", "target": "x", "companions": [{"dimensions": {"os": "android"}}],
                         "input": {"exec": {"argv": ["true"]}}}""")
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(400)
                .body("field", Matchers.equalTo("companions"));
        given().contentType(ContentType.JSON)
                .body("""
                        {"operation": "EXEC", "dimensions": {"os": "android"},
                         "companions": [{"dimensions": {"os": "android"}}, {"dimensions": {"gpu": "powervr*"}}],
                         "input": {"exec": {"argv": ["true"]}}}""")
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(404)
                .body("field", Matchers.equalTo("companions[1].dimensions.gpu"));
        given().contentType(ContentType.JSON)
                .body("""
                        {"operation": "EXEC", "slices": [{"dimensions": {"os": "android"}, "companions": [{"dimensions": {}}]}],
                         "input": {"exec": {"argv": ["true"]}}}""")
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(400)
                .body("field", Matchers.equalTo("slices[0].companions[0].dimensions"));
        String eight = String.join(", ", java.util.Collections.nCopies(8, "{\"dimensions\": {\"os\": \"android\"}}"));
        given().contentType(ContentType.JSON)
                .body("""
                        {"operation": "EXEC", "dimensions": {"os": "android"}, "companions": [%s],
                         "input": {"exec": {"argv": ["true"]}}}""".formatted(eight))
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(400)
                .body("field", Matchers.equalTo("companions"))
                .body("error", Matchers.containsString("at most 7 companions"));
        assertThat(new LedgerProbe(pool).rows()).as("ledger rows").isEqualTo(rows);
    }
}
