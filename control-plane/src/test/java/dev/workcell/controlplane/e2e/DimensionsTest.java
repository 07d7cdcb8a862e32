package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.quote;
import static dev.workcell.controlplane.testing.Api.submit;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Submits by dimensions against a real agent whose fake adb serves two recorded phones: a Pixel 8
 * (arm64-v8a, Mali GPU) and an x86_64 emulator, both Android SDK 34. Each test's agent has a host
 * name of its own, and every submit asks for it, so that devices of other tests never match.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DimensionsTest {

    static final String PIXEL = "37211FDJH008K2";
    static final String EMULATOR = "emulator-5554";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    Pool pool;

    /** An agent on a fake adb serving the given phones, quick to notice one unplugged. */
    AgentProcess agentWithPhones(String host, Path adb) {
        return agentWithPhones(host, adb, Map.of());
    }

    AgentProcess agentWithPhones(String host, Path adb, Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.putAll(Map.of(
                "workcell.agent.discovery.adb", adb.resolve("fake-adb.sh").toString(),
                "workcell.agent.discovery.interval", "300ms",
                "workcell.agent.discovery.loss-confirmation", "500ms"));
        return AgentProcess.start(host, "", port, all).awaitRegistered();
    }

    static String submitByDimensions(String dimensions, String script) {
        return submit("""
                {"operation": "EXEC", "dimensions": %s, "input": {"exec": {"argv": ["sh", "-c", %s]}}}""".formatted(dimensions, quote(script)));
    }

    static String deviceOfSerial(String serial) {
        return given().get("/api/v1/devices")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("devices.find { it.serial == '" + serial + "' }.id");
    }

    /** Waits until the host's agent serves these phones with live workers (discovered and registered). */
    static void awaitLive(String host, String... serials) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> Api.workersOfHost(deviceOfSerial(host)).stream()
                        .filter(worker -> Boolean.TRUE.equals(worker.get("live")))
                        .map(worker -> worker.get("target"))
                        .toList()
                        .containsAll(java.util.Arrays.stream(serials)
                                .map(DimensionsTest::deviceOfSerial)
                                .toList()));
    }

    @Test
    void devicesShowTheDimensionsDiscoveryFoundAndTheAgentsLabels() throws IOException {
        String host = unique("dims-host");
        try (AgentProcess agent = agentWithPhones(
                host, DeviceHostTest.fakeAdb(PIXEL, EMULATOR), Map.of("workcell.agent.labels.rack", "r7"))) {
            awaitLive(host, PIXEL, EMULATOR);
            JsonPath devices = given().get("/api/v1/devices")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            Map<String, List<String>> pixel = dimensions(devices, PIXEL);
            assertThat(pixel)
                    .containsEntry("os", List.of("android"))
                    .containsEntry("sdk", List.of("34"))
                    .containsEntry("abi", List.of("arm64-v8a"))
                    .containsEntry("model", List.of("Pixel 8"))
                    .containsEntry("manufacturer", List.of("Google"))
                    .containsEntry("gpu", List.of("mali"))
                    .containsEntry("serial", List.of(PIXEL))
                    .containsEntry("rack", List.of("r7"));
            assertThat(pixel.get("host")).contains(host);
            assertThat(dimensions(devices, EMULATOR).get("abi")).containsExactly("arm64-v8a", "x86_64");
        }
    }

    static Map<String, List<String>> dimensions(JsonPath devices, String serial) {
        List<Map<String, Object>> found = devices.getList("devices.find { it.serial == '" + serial + "' }.dimensions");
        Map<String, List<String>> byKey = new java.util.TreeMap<>();
        found.forEach(dimension -> byKey.put((String) dimension.get("key"), castValues(dimension.get("values"))));
        return byKey;
    }

    @SuppressWarnings("unchecked")
    static List<String> castValues(Object values) {
        return (List<String>) values;
    }

    @Test
    void aSubmitByDimensionsRunsOnAMatchingDeviceAndNeverOnAnother() throws IOException {
        String host = unique("match-host");
        try (AgentProcess agent = agentWithPhones(host, DeviceHostTest.fakeAdb(PIXEL, EMULATOR))) {
            awaitLive(host, PIXEL, EMULATOR);
            List<String> x86 = new ArrayList<>();
            List<String> mali = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                x86.add(submitByDimensions(
                        "{\"host\": \"%s\", \"abi\": \"x86_64|x86\", \"sdk\": \">=34\"}".formatted(host),
                        "echo x86 " + i));
                mali.add(submitByDimensions(
                        "{\"host\": \"%s\", \"gpu\": \"MALI*\", \"os\": \"android\"}".formatted(host),
                        "echo mali " + i));
            }
            String emulator = deviceOfSerial(EMULATOR);
            String pixel = deviceOfSerial(PIXEL);
            for (String id : x86) {
                JsonPath done = awaitStatus(id, "SUCCEEDED");
                assertThat(done.getString("target")).isEqualTo(emulator);
                assertThat(done.getString("host")).isEqualTo(deviceOfSerial(host));
                assertThat(done.getString("slices[0].dimensions.abi")).isEqualTo("x86_64|x86");
                assertThat(events(id))
                        .anySatisfy(event -> assertThat((String) event.get("reason"))
                                .contains("on device " + emulator)
                                .contains("matches slice 0"));
            }
            for (String id : mali) {
                assertThat(awaitStatus(id, "SUCCEEDED").getString("target")).isEqualTo(pixel);
            }
            List<String> all = new ArrayList<>(x86);
            all.addAll(mali);
            LedgerAudit.ofRunningApp().assertConsistent(all);
        }
    }

    @Test
    void anActionWhoseDimensionsNoDeviceEverHadIsRefusedWith404AndNothingIsWritten() {
        long rows = new LedgerProbe(pool).rows();
        long sets = dimensionSets();
        given().contentType(ContentType.JSON)
                .body("""
                        {"operation": "EXEC", "dimensions": {"os": "android", "gpu": "powervr*"}, "input": {"exec": {"argv": ["true"]}}}""")
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(404)
                .body("field", org.hamcrest.Matchers.equalTo("dimensions.gpu"))
                .body(
                        "error",
                        org.hamcrest.Matchers.containsString(
                                "no registered device ever had dimension gpu matching 'powervr*'"));
        given().contentType(ContentType.JSON)
                .body("""
                        {"operation": "EXEC", "slices": [{"dimensions": {"os": "android"}, "expirationSeconds": 5},
                                                         {"dimensions": {"rack": "7"}}], "input": {"exec": {"argv": ["true"]}}}""")
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(404)
                .body("field", org.hamcrest.Matchers.equalTo("slices[1].dimensions.rack"));
        given().contentType(ContentType.JSON)
                .body("""
                        {"operation": "EXEC", "dimensions": {"sdk": ">=thirty"}, "input": {"exec": {"argv": ["true"]}}}""")
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("dimensions.sdk"));
        given().contentType(ContentType.JSON)
                .body("""
                        {"operation": "EXEC", "target": "x", "dimensions": {"os": "android"}, "input": {"exec": {"argv": ["true"]}}}""")
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("dimensions"));
        assertThat(new LedgerProbe(pool).rows()).as("ledger rows").isEqualTo(rows);
        assertThat(dimensionSets()).as("dimension sets").isEqualTo(sets);
    }

    long dimensionSets() {
        return pool.query("SELECT count(*) AS n FROM dimension_sets")
                .execute()
                .map(rows -> rows.iterator().next().getLong("n"))
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    @Test
    void slicesNobodyServesGiveWayInOrderUntilOneMatches() throws IOException {
        String host = unique("slice-host");
        try (AgentProcess agent = agentWithPhones(host, DeviceHostTest.fakeAdb(PIXEL, EMULATOR))) {
            awaitLive(host, PIXEL, EMULATOR);
            String id = submit("""
                    {"operation": "EXEC", "input": {"exec": {"argv": ["true"]}}, "slices": [
                        {"dimensions": {"host": "%1$s", "gpu": "mali*", "abi": "x86_64"}, "expirationSeconds": 1},
                        {"dimensions": {"host": "%1$s", "model": "pixel 8", "gpu": "emulation"}, "expirationSeconds": 1},
                        {"dimensions": {"host": "%1$s", "abi": "x86_64"}, "expirationSeconds": 60}]}""".formatted(host));
            JsonPath done = awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(30));
            assertThat(done.getInt("slice")).isEqualTo(2);
            assertThat(done.getString("target")).isEqualTo(deviceOfSerial(EMULATOR));
            List<String> reasons = events(id).stream()
                    .map(event -> (String) event.get("reason"))
                    .toList();
            assertThat(reasons)
                    .filteredOn(reason -> reason.contains("applies now"))
                    .satisfiesExactly(
                            first -> assertThat(first).startsWith("slice 0 ").contains("slice 1 "),
                            second -> assertThat(second).startsWith("slice 1 ").contains("slice 2 "));
            assertThat(reasons)
                    .filteredOn(reason -> reason.startsWith("dispatched"))
                    .singleElement()
                    .satisfies(reason -> assertThat(reason).contains("matches slice 2"));
            LedgerAudit.ofRunningApp().assertConsistent(List.of(id));
        }
    }

    @Test
    void aLastSliceNobodyServesExpiresThoughADeviceOnceHadItsDimensions() throws IOException {
        String host = unique("expire-host");
        Path adb = DeviceHostTest.fakeAdb(PIXEL, EMULATOR);
        try (AgentProcess agent = agentWithPhones(host, adb)) {
            awaitLive(host, PIXEL, EMULATOR);
            String emulator = deviceOfSerial(EMULATOR);
            Files.writeString(adb.resolve("plugged"), PIXEL + "\n");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> Api.workersOfHost(deviceOfSerial(host)).stream()
                            .noneMatch(worker ->
                                    emulator.equals(worker.get("target")) && Boolean.TRUE.equals(worker.get("live"))));
            String id = submit("""
                    {"operation": "EXEC", "input": {"exec": {"argv": ["true"]}}, "slices": [
                        {"dimensions": {"host": "%1$s", "abi": "x86_64"}, "expirationSeconds": 1},
                        {"dimensions": {"host": "%1$s", "gpu": "emulation"}, "expirationSeconds": 1}]}""".formatted(host));
            JsonPath expired = awaitStatus(id, Set.of("EXPIRED"), Duration.ofSeconds(30));
            assertThat(expired.getInt("slice")).isEqualTo(1);
            assertThat(expired.getString("target")).isEmpty();
            LedgerAudit.ofRunningApp().assertConsistent(List.of(id));
        }
    }

    @Test
    void aRetryMovesToAnotherMatchingDeviceWhenItsDeviceIsGone() throws IOException {
        String host = unique("move-host");
        Path adb = DeviceHostTest.fakeAdb(PIXEL, EMULATOR);
        try (AgentProcess agent = agentWithPhones(host, adb)) {
            awaitLive(host, PIXEL, EMULATOR);
            String id =
                    submitByDimensions("{\"host\": \"%s\", \"os\": \"android\"}".formatted(host), "sleep 3; echo done");
            JsonPath running = awaitStatus(id, Set.of("RUNNING"), Duration.ofSeconds(20));
            String first = running.getString("target");
            String firstSerial = first.equals(deviceOfSerial(PIXEL)) ? PIXEL : EMULATOR;
            String other = firstSerial.equals(PIXEL) ? EMULATOR : PIXEL;

            Files.writeString(adb.resolve("plugged"), other + "\n");
            JsonPath done = awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(30));
            assertThat(done.getInt("attempt")).isEqualTo(2);
            assertThat(done.getString("target")).isEqualTo(deviceOfSerial(other));
            List<String> reasons = events(id).stream()
                    .map(event -> (String) event.get("reason"))
                    .toList();
            assertThat(reasons)
                    .anySatisfy(reason ->
                            assertThat(reason).contains("it may move to another matching device than " + first));
            assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("moved from device " + first));
            LedgerAudit.ofRunningApp().assertConsistent(List.of(id));
        }
    }
}
