package dev.workcell.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.workcell.cli.testing.Cli;
import dev.workcell.cli.testing.Cli.Result;
import dev.workcell.cli.testing.Farm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * workcell campaign run and grid against a real control plane and agent: a vulkan subject (replayed on
 * the traced device) on one of the farm's phones, its package an artifact an EXEC wrote.
 */
class CliCampaignIT {

    private final Farm farm = Farm.shared();
    private final Cli cli = farm.admin();

    @Test
    void campaignRunCreatesTheTraceThenItsFollowUpsTheGridShowsThemAndARerunCreatesNothing() throws Exception {
        String name = "cli game " + farm.run + " " + System.nanoTime();
        Result exec = cli.run(
                "submit",
                "exec",
                "-t",
                farm.phoneA,
                "--wait",
                "-o",
                "json",
                "--",
                "sh",
                "-c",
                "echo " + name + " > package.txt");
        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        JsonObject action = exec.json().isJsonArray()
                ? exec.json().getAsJsonArray().get(0).getAsJsonObject()
                : exec.json().getAsJsonObject();
        String sha256 = action.getAsJsonObject("output")
                .getAsJsonArray("artifacts")
                .get(0)
                .getAsJsonObject()
                .get("sha256")
                .getAsString();
        String subject = post(
                        "/api/v1/subjects",
                        "{\"name\": \"%s\", \"artifact\": \"%s\", \"api\": \"vulkan\"}".formatted(name, sha256))
                .get("id")
                .getAsString();
        String campaign = post("/api/v1/campaigns", """
                {"name": "%s", "subjectIds": ["%s"], "kinds": [{"name": "phone-a", "dimensions": {"name": "%s"}}]}""".formatted(name, subject, farm.phoneA))
                .get("id")
                .getAsString();

        Result run = cli.run("campaign", "run", campaign);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("campaign " + name + " run 1: 1 actions created, 0 kept");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Result grid = cli.run("campaign", "grid", campaign, "-o", "json");
            assertThat(grid.exitCode()).as(grid.toString()).isZero();
            List<String> cells = StreamSupport.stream(
                            grid.json()
                                    .getAsJsonObject()
                                    .getAsJsonArray("cells")
                                    .spliterator(),
                            false)
                    .map(cell -> cell.getAsJsonObject().get("column").getAsString() + " "
                            + cell.getAsJsonObject().get("latest").getAsString())
                    .toList();
            assertThat(cells).containsExactlyInAnyOrder("TRACE SUCCEEDED", "REPLAY SUCCEEDED", "REPORT SUCCEEDED");
        });
        Result table = cli.run("campaign", "grid", campaign, "--rows", "model", "--cols", "operation");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).contains("MODEL \\ OPERATION", "REPLAY", "SUCCEEDED (1 succeeded)");

        Result again = cli.run("campaign", "run", campaign, "-o", "json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.json().getAsJsonObject().get("created").getAsInt()).isZero();
        assertThat(again.json().getAsJsonObject().get("kept").getAsInt()).isEqualTo(3);
    }

    @Test
    void subjectsAndCampaignsAreCreatedListedAndDeletedAndASubjectInUseIsRefusedNamingItsCampaign() {
        String name = "cli crud " + farm.run + " " + System.nanoTime();
        Result exec = cli.run(
                "submit",
                "exec",
                "-t",
                farm.phoneA,
                "--wait",
                "-o",
                "json",
                "--",
                "sh",
                "-c",
                "echo " + name + " > package.txt");
        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        JsonObject action = exec.json().isJsonArray()
                ? exec.json().getAsJsonArray().get(0).getAsJsonObject()
                : exec.json().getAsJsonObject();
        String sha256 = action.getAsJsonObject("output")
                .getAsJsonArray("artifacts")
                .get(0)
                .getAsJsonObject()
                .get("sha256")
                .getAsString();

        Result created = cli.run(
                "subject",
                "create",
                "--name",
                name,
                "--artifact",
                sha256,
                "--api",
                "vulkan",
                "--label",
                "team=games",
                "-o",
                "json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String subject = created.json().getAsJsonObject().get("id").getAsString();
        Result subjects = cli.run("subject", "list");
        assertThat(subjects.out()).contains(subject, name, "vulkan", "team=games");

        Result campaignCreated = cli.run(
                "campaign", "create", "--name", name, "--subject", subject, "--kind", "phone-a:name=" + farm.phoneA);
        assertThat(campaignCreated.exitCode()).as(campaignCreated.toString()).isZero();
        assertThat(campaignCreated.out()).contains("created campaign ", "1 subjects × 1 kinds");
        Result campaigns = cli.run("campaign", "list", "-o", "json");
        JsonObject campaign = StreamSupport.stream(
                        campaigns
                                .json()
                                .getAsJsonObject()
                                .getAsJsonArray("campaigns")
                                .spliterator(),
                        false)
                .map(found -> found.getAsJsonObject())
                .filter(found -> found.get("name").getAsString().equals(name))
                .findFirst()
                .orElseThrow();
        String campaignId = campaign.get("id").getAsString();
        assertThat(campaign.getAsJsonArray("kinds")
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonObject("dimensions")
                        .get("name")
                        .getAsString())
                .isEqualTo(farm.phoneA);
        assertThat(cli.run("campaign", "list").out()).contains(campaignId, "phone-a", "never");

        Result inUse = cli.run("subject", "delete", subject);
        assertThat(inUse.exitCode()).as(inUse.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(inUse.err()).contains("campaign " + campaignId);
        Result badKind =
                cli.run("campaign", "create", "--name", name + " 2", "--subject", subject, "--kind", "no-dimensions");
        assertThat(badKind.exitCode()).as(badKind.toString()).isEqualTo(ExitCodes.USAGE);

        Result campaignDeleted = cli.run("campaign", "delete", campaignId);
        assertThat(campaignDeleted.exitCode()).as(campaignDeleted.toString()).isZero();
        assertThat(campaignDeleted.out()).contains("deleted campaign " + campaignId);
        assertThat(cli.run("campaign", "delete", campaignId).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        Result subjectDeleted = cli.run("subject", "delete", subject);
        assertThat(subjectDeleted.exitCode()).as(subjectDeleted.toString()).isZero();
        assertThat(cli.run("subject", "list").out()).doesNotContain(subject);
    }

    @Test
    void aMalformedIdIsAUsageErrorAndAnUnknownCampaignIsNotFound() {
        Result malformed = cli.run("campaign", "grid", "nope");
        Result unknown = cli.run("campaign", "run", "00000000000000ff");
        Result sameAxis = cli.run("campaign", "grid", "00000000000000ff", "--rows", "operation", "--cols", "operation");

        assertThat(malformed.exitCode()).as(malformed.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(malformed.err()).contains("id: 'nope' is not an id");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("no campaign 00000000000000ff");
        assertThat(sameAxis.exitCode()).as(sameAxis.toString()).isEqualTo(ExitCodes.USAGE);
    }

    private JsonObject post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(farm.server() + path))
                                .header("Authorization", "Bearer " + farm.adminToken())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }
}
