package dev.workcell.controlplane.campaign;

import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.SseLines;
import dev.workcell.proto.v1.ArtifactService;
import dev.workcell.proto.v1.CampaignGrid;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/campaigns/{id}/grid/events read by a real HTTP client while a campaign runs on a real
 * agent: the current grid first, then the whole grid each time it changed; the grid's refusals; a
 * watcher that stops taking grids is cut off (the test profile's limit is 200 untaken changes).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CampaignGridEventsTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @GrpcClient("artifacts")
    ArtifactService artifacts;

    @Inject
    CampaignGrids grids;

    @Test
    void theStreamStartsWithTheCurrentGridAndSendsItAgainAsTheCampaignsActionsChange() throws Exception {
        Path gate = Files.createTempDirectory("grid-events-gate");
        try (CampaignLab lab = CampaignLab.start(port, gate)) {
            String run = unique("events");
            String subject = CampaignLab.subject(
                    "game " + run, CampaignLab.upload(artifacts, port, "game " + run), "vulkan", "{}");
            String campaign = CampaignLab.campaign("live " + run, List.of(subject), lab.kinds());
            try (SseLines events =
                    new SseLines("/api/v1/campaigns/" + campaign + "/grid/events?rows=subject&cols=operation")) {
                JsonPath first = json(events.next(Duration.ofSeconds(10)));
                assertThat(first.getString("campaignId")).isEqualTo(campaign);
                assertThat(first.getList("cells")).as("nothing has run yet").isEmpty();

                CampaignTest.runCampaign(campaign);
                JsonPath queued = json(events.nextContaining("TRACE", Duration.ofSeconds(10)));
                assertThat(queued.getList("cells.column")).containsOnly("TRACE");
                Files.createFile(gate.resolve("go"));

                JsonPath done = awaitGrid(events, grid -> succeeded(grid) == 6);
                assertThat(CampaignTest.cell(done, subject, "TRACE"))
                        .containsEntry("counts", java.util.Map.of("SUCCEEDED", 2));
                assertThat(CampaignTest.cell(done, subject, "REPORT"))
                        .containsEntry("counts", java.util.Map.of("SUCCEEDED", 2));
                assertThat(done.getString("rows")).isEqualTo("subject");
                assertThat(done.getList("cells"))
                        .isEqualTo(CampaignTest.grid(campaign, "subject", "operation", null)
                                .getList("cells"));
            }
        }
    }

    @Test
    void theStreamRefusesWhatTheGridRefuses() {
        String events = "/api/v1/campaigns/00000000000000ff/grid/events";
        given().get(events + "?rows=operation&cols=operation")
                .then()
                .statusCode(400)
                .body("field", equalTo("cols"));
        given().get(events + "?rows=label").then().statusCode(400).body("field", equalTo("label_key"));
        given().get(events + "?rows=device").then().statusCode(400).body("field", equalTo("rows"));
        given().get("/api/v1/campaigns/nope/grid/events").then().statusCode(400).body("field", equalTo("id"));
        given().get(events).then().statusCode(404).body("error", containsString("no campaign 00000000000000ff"));
    }

    /**
     * A watcher that took the first grid and asks for no more, as the SSE writer does while the
     * client's socket is full (filling it takes megabytes of grids on loopback, so the watch is taken
     * here as the resource takes it), is cut off; one that reads beside it is not.
     */
    @Test
    void aWatcherThatStopsTakingGridsIsCutOffOnceItLeftTheLimitOfChangesUntakenAndAReadingOneIsNot() throws Exception {
        Path gate = Files.createTempDirectory("grid-events-gate");
        try (CampaignLab lab = CampaignLab.start(port, gate)) {
            String campaign = lab.bulkCampaign(artifacts, port, 20);
            CampaignGrids.Axes axes = CampaignGrids.Axes.parse(null, null, null);
            AssertSubscriber<CampaignGrid> stalled =
                    grids.watchGrids(campaign, axes).subscribe().withSubscriber(AssertSubscriber.create(1));
            AssertSubscriber<CampaignGrid> reading = grids.watchGrids(campaign, axes)
                    .subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            stalled.awaitItems(1, Duration.ofSeconds(10));

            CampaignTest.runCampaign(campaign);
            Files.createFile(gate.resolve("go"));

            stalled.awaitFailure(
                    failure -> assertThat(failure)
                            .isInstanceOf(BackPressureFailure.class)
                            .hasMessageContaining("200 changes untaken"),
                    Duration.ofMinutes(3));
            assertThat(stalled.getItems()).hasSize(1);
            Awaitility.await()
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !reading.getItems().isEmpty()
                            && reading.getLastItem().getCellsList().stream()
                                            .mapToInt(cell -> cell.getCountsOrDefault("SUCCEEDED", 0))
                                            .sum()
                                    == 120);
            assertThat(reading.getFailure())
                    .as("the reading watcher is not cut off")
                    .isNull();
            reading.cancel();
        }
    }

    private static int succeeded(JsonPath grid) {
        return grid.getList("cells.counts.SUCCEEDED", Integer.class).stream()
                .mapToInt(count -> count == null ? 0 : count)
                .sum();
    }

    private static JsonPath awaitGrid(SseLines events, java.util.function.Predicate<JsonPath> wanted)
            throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            String line = events.next(Duration.ofSeconds(5));
            if (line == null) {
                continue;
            }
            seen.add(line);
            JsonPath grid = json(line);
            if (wanted.test(grid)) {
                return grid;
            }
        }
        throw new AssertionError("no grid as wanted among " + seen.size() + " events, the last: "
                + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)));
    }

    private static JsonPath json(String dataLine) {
        assertThat(dataLine).as("an SSE data line").isNotNull().startsWith("data:");
        return JsonPath.from(dataLine.substring("data:".length()));
    }
}
