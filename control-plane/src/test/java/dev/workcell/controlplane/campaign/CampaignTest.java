package dev.workcell.controlplane.campaign;

import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ArtifactService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Campaigns against a real agent (see {@link CampaignLab}): 3 subjects × 2 device kinds, one trace
 * failing on purpose; replays and reports follow the successful traces only, and the grid counts them.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CampaignTest {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @GrpcClient("artifacts")
    ArtifactService artifacts;

    @Test
    void
            aCampaignTracesEachSubjectOnEachKindThenReplaysAndReportsTheSuccessfulTracesOnlyAndARerunAddsOnlyTheFailedTrace()
                    throws Exception {
        try (CampaignLab lab = CampaignLab.start(port)) {
            String run = unique("run");
            String gles = CampaignLab.subject(
                    "gles game " + run,
                    CampaignLab.upload(artifacts, port, "gles game " + run),
                    "gles",
                    "{\"team\": \"games\"}");
            String vulkan = CampaignLab.subject(
                    "vulkan game " + run,
                    CampaignLab.upload(artifacts, port, "vulkan game " + run),
                    "vulkan",
                    "{\"team\": \"games\"}");
            String flaky = CampaignLab.subject(
                    "vulkan bench " + run,
                    CampaignLab.upload(artifacts, port, "vulkan bench " + run + " fail-on-" + CampaignLab.EMULATOR),
                    "vulkan",
                    "{\"team\": \"bench\"}");
            String campaign = CampaignLab.campaign("nightly " + run, List.of(gles, vulkan, flaky), lab.kinds());

            JsonPath first = runCampaign(campaign);
            assertThat(first.getInt("created"))
                    .as("one trace per subject and kind")
                    .isEqualTo(6);
            assertThat(first.getInt("campaign.runs")).isEqualTo(1);

            List<Map<String, Object>> actions = awaitSettled(campaign, 16);
            String pixel = CampaignLab.deviceOfSerial(CampaignLab.PIXEL);
            String emulator = CampaignLab.deviceOfSerial(CampaignLab.EMULATOR);
            String hostDevice = CampaignLab.deviceOfSerial(lab.host);
            List<JsonPath> traces = ofOperation(actions, "TRACE");
            assertThat(traces).hasSize(6);
            assertThat(traces)
                    .allSatisfy(trace -> assertThat(trace.getString("target")).isIn(pixel, emulator));
            JsonPath failed = traces.stream()
                    .filter(trace -> trace.getString("status").equals("FAILED"))
                    .findFirst()
                    .orElseThrow();
            assertThat(traces)
                    .filteredOn(trace -> trace.getString("status").equals("FAILED"))
                    .hasSize(1);
            assertThat(failed.getString("target")).isEqualTo(emulator);
            assertThat(failed.getString("input.trace.subject")).isEqualTo("artifact:" + subjectArtifact(flaky));

            List<JsonPath> replays = ofOperation(actions, "REPLAY");
            List<JsonPath> reports = ofOperation(actions, "REPORT");
            assertThat(replays)
                    .as("a replay per successful trace")
                    .hasSize(5)
                    .allSatisfy(done -> assertThat(done.getString("status")).isEqualTo("SUCCEEDED"));
            assertThat(reports)
                    .as("a report per successful trace")
                    .hasSize(5)
                    .allSatisfy(done -> assertThat(done.getString("status")).isEqualTo("SUCCEEDED"));
            for (JsonPath trace : traces) {
                String traceRef = trace.getString("output.trace.trace");
                List<JsonPath> replaysOfIt = replays.stream()
                        .filter(replay ->
                                replay.getString("input.replay.trace").equals(traceRef) && !traceRef.isEmpty())
                        .toList();
                if (trace.getString("status").equals("FAILED")) {
                    assertThat(replaysOfIt).as("no replay of the failed trace").isEmpty();
                    continue;
                }
                assertThat(replaysOfIt).hasSize(1);
                JsonPath replay = replaysOfIt.get(0);
                if (trace.getString("input.trace.api").equals("gles")) {
                    assertThat(replay.getString("target"))
                            .as("gles replays on the host as target")
                            .isEqualTo(hostDevice);
                    assertThat(replay.getString("input.replay.gapirDevice")).isEqualTo("host");
                } else {
                    assertThat(replay.getString("target"))
                            .as("vulkan replays on the traced device")
                            .isEqualTo(trace.getString("target"));
                    assertThat(replay.getString("input.replay.gapirDevice"))
                            .isIn(CampaignLab.PIXEL, CampaignLab.EMULATOR);
                }
                assertThat(replay.getString("output.stdoutTail"))
                        .contains("replayed on " + replay.getString("input.replay.gapirDevice"));
                assertThat(reports)
                        .filteredOn(
                                report -> report.getString("input.report.trace").equals(traceRef))
                        .hasSize(1);
            }

            JsonPath bySubject = grid(campaign, "subject", "operation", null);
            assertThat(cell(bySubject, gles, "TRACE"))
                    .containsEntry("latest", "SUCCEEDED")
                    .containsEntry("counts", Map.of("SUCCEEDED", 2));
            assertThat(cell(bySubject, gles, "REPLAY")).containsEntry("counts", Map.of("SUCCEEDED", 2));
            assertThat(cell(bySubject, vulkan, "REPORT")).containsEntry("counts", Map.of("SUCCEEDED", 2));
            assertThat(cell(bySubject, flaky, "TRACE")).containsEntry("counts", Map.of("SUCCEEDED", 1, "FAILED", 1));
            assertThat(cell(bySubject, flaky, "REPLAY")).containsEntry("counts", Map.of("SUCCEEDED", 1));
            assertThat(cellActions(bySubject, flaky, "TRACE"))
                    .contains(failed.getString("id"))
                    .hasSize(2);
            assertThat(bySubject.getList("cells")).hasSize(9);
            JsonPath byModel = grid(campaign, "model", "operation", null);
            assertThat(cell(byModel, "sdk_gphone64_x86_64", "TRACE"))
                    .containsEntry("latest", "FAILED")
                    .containsEntry("counts", Map.of("SUCCEEDED", 2, "FAILED", 1));
            assertThat(cell(byModel, "Pixel 8", "REPLAY"))
                    .as("replays count under their trace's device, host ones too")
                    .containsEntry("counts", Map.of("SUCCEEDED", 3));
            JsonPath byLabel = grid(campaign, "label", "operation", "team");
            assertThat(cell(byLabel, "games", "TRACE")).containsEntry("counts", Map.of("SUCCEEDED", 4));
            assertThat(cell(byLabel, "bench", "REPORT")).containsEntry("counts", Map.of("SUCCEEDED", 1));

            // Two re-runs at once: only the failed trace is missing or failed, and it is created once.
            CompletableFuture<JsonPath> second = CompletableFuture.supplyAsync(() -> runCampaign(campaign));
            JsonPath third = runCampaign(campaign);
            assertThat(second.join().getInt("created") + third.getInt("created"))
                    .isEqualTo(1);
            assertThat(third.getInt("created") + third.getInt("kept")).isEqualTo(16);
            List<Map<String, Object>> afterRerun = awaitSettled(campaign, 17);
            List<JsonPath> retraced = ofOperation(afterRerun, "TRACE").stream()
                    .filter(trace -> trace.getString("target").equals(emulator)
                            && trace.getString("input.trace.subject").equals(failed.getString("input.trace.subject")))
                    .toList();
            assertThat(retraced)
                    .hasSize(2)
                    .allSatisfy(trace -> assertThat(trace.getString("status")).isEqualTo("FAILED"));
            assertThat(ofOperation(afterRerun, "REPLAY")).hasSize(5);
            assertThat(grid(campaign, "subject", "operation", null).getList("cells"))
                    .hasSize(9);

            List<String> ids = new ArrayList<>(
                    afterRerun.stream().map(action -> (String) action.get("id")).toList());
            LedgerAudit.ofRunningApp().assertConsistent(ids);
        }
    }

    @Test
    void badSubjectsAndCampaignsAreRefusedNamingTheFieldAndWriteNothing() {
        long subjects = given().get("/api/v1/subjects")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("subjects")
                .size();
        long campaigns = given().get("/api/v1/campaigns")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("campaigns")
                .size();
        String artifact = CampaignLab.upload(artifacts, port, unique("package"));
        refused(
                "/api/v1/subjects",
                "{\"name\": \"x\", \"artifact\": \"%s\", \"api\": \"metal\"}".formatted(artifact),
                400,
                "api");
        refused(
                "/api/v1/subjects",
                "{\"name\": \"\", \"artifact\": \"%s\", \"api\": \"gles\"}".formatted(artifact),
                400,
                "name");
        refused(
                "/api/v1/subjects",
                "{\"name\": \"x\", \"artifact\": \"not-a-sha\", \"api\": \"gles\"}",
                400,
                "artifact");
        refused(
                "/api/v1/subjects",
                "{\"name\": \"x\", \"artifact\": \"%s\", \"api\": \"gles\"}".formatted("0".repeat(64)),
                404,
                "artifact");
        refused(
                "/api/v1/subjects",
                "{\"name\": \"x\", \"artifact\": \"%s\", \"api\": \"gles\", \"labels\": {\"Bad Key\": \"v\"}}"
                        .formatted(artifact),
                400,
                "labels.Bad Key");
        String name = unique("subject");
        String subject = CampaignLab.subject(name, artifact, "gles", "{}");
        refused(
                "/api/v1/subjects",
                "{\"name\": \"%s\", \"artifact\": \"%s\", \"api\": \"vulkan\"}".formatted(name, artifact),
                409,
                "name");

        String kinds = "[{\"name\": \"any\", \"dimensions\": {\"os\": \"linux\"}}]";
        refused(
                "/api/v1/campaigns",
                "{\"name\": \"c\", \"subjectIds\": [], \"kinds\": %s}".formatted(kinds),
                400,
                "subject_ids");
        refused(
                "/api/v1/campaigns",
                "{\"name\": \"c\", \"subjectIds\": [\"%s\", \"%s\"], \"kinds\": %s}".formatted(subject, subject, kinds),
                400,
                "subject_ids[1]");
        refused(
                "/api/v1/campaigns",
                "{\"name\": \"c\", \"subjectIds\": [\"00000000000000ff\"], \"kinds\": %s}".formatted(kinds),
                404,
                "subject_ids[0]");
        refused(
                "/api/v1/campaigns",
                "{\"name\": \"c\", \"subjectIds\": [\"%s\"], \"kinds\": []}".formatted(subject),
                400,
                "kinds");
        refused(
                "/api/v1/campaigns",
                "{\"name\": \"c\", \"subjectIds\": [\"%s\"], \"kinds\": [{\"name\": \"k\", \"dimensions\": {\"sdk\": \">=x\"}}]}"
                        .formatted(subject),
                400,
                "kinds[0].dimensions.sdk");
        refused(
                "/api/v1/campaigns",
                "{\"name\": \"c\", \"subjectIds\": [\"%s\"], \"kinds\": [{\"name\": \"k\", \"dimensions\": {\"gpu\": \"powervr*\"}}]}"
                        .formatted(subject),
                404,
                "kinds[0].dimensions.gpu");
        refused(
                "/api/v1/campaigns",
                "{\"name\": \"c\", \"subjectIds\": [\"%s\"], \"kinds\": %s, \"replayOn\": [\"HOST\", \"HOST\"]}"
                        .formatted(subject, kinds),
                400,
                "replay_on");
        String campaignName = unique("campaign");
        String campaign = CampaignLab.campaign(campaignName, List.of(subject), kinds);
        refused(
                "/api/v1/campaigns",
                "{\"name\": \"%s\", \"subjectIds\": [\"%s\"], \"kinds\": %s}".formatted(campaignName, subject, kinds),
                409,
                "name");

        given().get("/api/v1/campaigns/nope").then().statusCode(400).body("field", equalTo("id"));
        given().get("/api/v1/campaigns/00000000000000ff")
                .then()
                .statusCode(404)
                .body("error", containsString("no campaign 00000000000000ff"));
        given().post("/api/v1/campaigns/00000000000000ff/run").then().statusCode(404);
        given().get("/api/v1/subjects/00000000000000ff").then().statusCode(404);
        given().get("/api/v1/campaigns/" + campaign + "/grid?rows=operation&cols=operation")
                .then()
                .statusCode(400)
                .body("field", equalTo("cols"));
        given().get("/api/v1/campaigns/" + campaign + "/grid?rows=label")
                .then()
                .statusCode(400)
                .body("field", equalTo("label_key"));
        given().get("/api/v1/campaigns/" + campaign + "/grid?rows=device")
                .then()
                .statusCode(400)
                .body("field", equalTo("rows"));
        assertThat(given().get("/api/v1/campaigns/" + campaign)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getInt("runs"))
                .isZero();

        assertThat(given().get("/api/v1/subjects").then().extract().jsonPath().getList("subjects"))
                .hasSize((int) subjects + 1);
        assertThat(given().get("/api/v1/campaigns").then().extract().jsonPath().getList("campaigns"))
                .hasSize((int) campaigns + 1);
    }

    private static void refused(String path, String body, int status, String field) {
        given().contentType(ContentType.JSON)
                .body(body)
                .post(path)
                .then()
                .statusCode(status)
                .body("field", equalTo(field));
    }

    static JsonPath runCampaign(String id) {
        return given().post("/api/v1/campaigns/" + id + "/run")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String subjectArtifact(String id) {
        return given().get("/api/v1/subjects/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("artifact");
    }

    /** Waits until the campaign holds this many actions, all finished; returns them. */
    static List<Map<String, Object>> awaitSettled(String campaign, int count) {
        List<Map<String, Object>> settled = new ArrayList<>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<String> ids =
                            grid(campaign, "subject", "operation", null).getList("cells.actionIds.flatten()");
                    settled.clear();
                    ids.forEach(id -> settled.add(Api.action(id).getMap("")));
                    return ids.size() == count
                            && settled.stream().allMatch(action -> TERMINAL.contains((String) action.get("status")));
                });
        return settled;
    }

    static List<JsonPath> ofOperation(List<Map<String, Object>> actions, String operation) {
        return actions.stream()
                .filter(action -> operation.equals(action.get("operation")))
                .map(action -> Api.action((String) action.get("id")))
                .toList();
    }

    static JsonPath grid(String campaign, String rows, String cols, String labelKey) {
        return given().queryParam("rows", rows)
                .queryParam("cols", cols)
                .queryParam("labelKey", labelKey == null ? "" : labelKey)
                .get("/api/v1/campaigns/" + campaign + "/grid")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static Map<String, Object> cell(JsonPath grid, String row, String column) {
        return grid.getMap("cells.find { it.row == '" + row + "' && it.column == '" + column + "' }");
    }

    static List<String> cellActions(JsonPath grid, String row, String column) {
        return grid.getList("cells.find { it.row == '" + row + "' && it.column == '" + column + "' }.actionIds");
    }
}
