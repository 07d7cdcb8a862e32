package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.e2e.DimensionsTest.EMULATOR;
import static dev.workcell.controlplane.e2e.DimensionsTest.PIXEL;
import static dev.workcell.controlplane.e2e.DimensionsTest.awaitLive;
import static dev.workcell.controlplane.e2e.DimensionsTest.deviceOfSerial;
import static dev.workcell.controlplane.e2e.DimensionsTest.dimensions;
import static dev.workcell.controlplane.e2e.DimensionsTest.submitByDimensions;
import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Labels an admin gives a device, against a real agent serving two phones from a fake adb: they are
 * dimensions at once (a submit asking for one runs there and nowhere else), win over the agent's
 * label of the same key, outlive the agent's re-registration, and only an admin may set them. The
 * recorded phones are the same devices in every test (their serials are): each test sets the labels it checks.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DeviceLabelsTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    AgentProcess agent(String host, Path adb) {
        return AgentProcess.start(
                        host,
                        "",
                        port,
                        Map.of(
                                "workcell.agent.discovery.adb",
                                        adb.resolve("fake-adb.sh").toString(),
                                "workcell.agent.discovery.interval", "300ms",
                                "workcell.agent.labels.rack", "r7"))
                .awaitRegistered();
    }

    static JsonPath label(String device, String labelsJson) {
        return given().contentType(ContentType.JSON)
                .body("{\"labels\": " + labelsJson + "}")
                .put("/api/v1/devices/" + device + "/labels")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static Map<String, List<String>> dimensionsOf(String serial) {
        return dimensions(
                given().get("/api/v1/devices").then().statusCode(200).extract().jsonPath(), serial);
    }

    @Test
    void anAdminsLabelIsADimensionAtOnceAndASubmitAskingForItRunsThereOnly() throws IOException {
        String host = unique("label-host");
        try (AgentProcess phones = agent(host, DeviceHostTest.fakeAdb(PIXEL, EMULATOR))) {
            awaitLive(host, PIXEL, EMULATOR);
            String pixel = deviceOfSerial(PIXEL);
            JsonPath labelled = label(pixel, "{\"subject\": \"angle-tests\"}");
            assertThat(labelled.getString("adminLabels.subject")).isEqualTo("angle-tests");
            assertThat(dimensionsOf(PIXEL)).containsEntry("subject", List.of("angle-tests"));
            assertThat(dimensionsOf(EMULATOR)).doesNotContainKey("subject");

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(submitByDimensions(
                        "{\"host\": \"%s\", \"subject\": \"angle-tests\"}".formatted(host), "echo " + i));
            }
            for (String id : ids) {
                assertThat(awaitStatus(id, "SUCCEEDED").getString("target")).isEqualTo(pixel);
            }
            assertThat(Api.auditKindsOf(pixel)).contains("device.labelled");
            LedgerAudit.ofRunningApp().assertConsistent(ids);
        }
    }

    @Test
    void anAdminsLabelWinsOverTheAgentsAndOutlivesItsReRegistrationUntilRemoved() throws IOException {
        String host = unique("relabel-host");
        Path adb = DeviceHostTest.fakeAdb(PIXEL);
        try (AgentProcess first = agent(host, adb)) {
            awaitLive(host, PIXEL);
            assertThat(dimensionsOf(PIXEL)).containsEntry("rack", List.of("r7"));
            label(deviceOfSerial(PIXEL), "{\"rack\": \"r9\", \"team\": \"graphics\"}");
            assertThat(dimensionsOf(PIXEL))
                    .containsEntry("rack", List.of("r9"))
                    .containsEntry("team", List.of("graphics"));
        }
        try (AgentProcess again = agent(host, adb)) {
            awaitLive(host, PIXEL);
            assertThat(dimensionsOf(PIXEL))
                    .as("after the agent registered its device again")
                    .containsEntry("rack", List.of("r9"))
                    .containsEntry("team", List.of("graphics"));
            String runs = submitByDimensions("{\"host\": \"%s\", \"rack\": \"r9\"}".formatted(host), "true");
            assertThat(awaitStatus(runs, "SUCCEEDED").getString("target")).isEqualTo(deviceOfSerial(PIXEL));

            label(deviceOfSerial(PIXEL), "{}");
            assertThat(dimensionsOf(PIXEL)).containsEntry("rack", List.of("r7")).doesNotContainKey("team");
        }
    }

    @Test
    void onlyAnAdminMayLabelAndBadLabelsAreRefusedNamingTheLabelAndChangeNothing() throws IOException {
        String host = unique("guarded-label-host");
        try (AgentProcess phones = agent(host, DeviceHostTest.fakeAdb(PIXEL))) {
            awaitLive(host, PIXEL);
            String pixel = deviceOfSerial(PIXEL);
            label(pixel, "{\"subject\": \"kept\"}");
            List<String> auditBefore = Api.auditKindsOf(pixel);
            for (String role : List.of("viewer", "submitter")) {
                given().auth()
                        .oauth2(clientToken(role))
                        .contentType(ContentType.JSON)
                        .body("{\"labels\": {\"subject\": \"mine\"}}")
                        .put("/api/v1/devices/" + pixel + "/labels")
                        .then()
                        .statusCode(403)
                        .body("error", org.hamcrest.Matchers.notNullValue());
            }
            Map<String, String> refused = Map.of(
                    "{\"labels\": {\"Subject\": \"x\"}}", "labels.Subject",
                    "{\"labels\": {\"model\": \"x\"}}", "labels.model",
                    "{\"labels\": {\"subject\": \"a|b\"}}", "labels.subject",
                    "{\"labels\": {\"subject\": \"\"}}", "labels.subject",
                    "{}", "labels");
            refused.forEach((body, field) -> given().contentType(ContentType.JSON)
                    .body(body)
                    .put("/api/v1/devices/" + pixel + "/labels")
                    .then()
                    .statusCode(400)
                    .body("field", equalTo(field)));
            given().contentType(ContentType.JSON)
                    .body("{\"labels\": {\"subject\": \"x\"}}")
                    .put("/api/v1/devices/no-such-device/labels")
                    .then()
                    .statusCode(404);

            assertThat(dimensionsOf(PIXEL)).containsEntry("subject", List.of("kept"));
            assertThat(Api.auditKindsOf(pixel)).as("audit rows of the device").isEqualTo(auditBefore);
        }
    }

    private static String clientToken(String role) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\": \"labels-" + role + "\", \"role\": \"" + role + "\"}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");
    }
}
