package dev.workcell.controlplane.campaign;

import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ArtifactService;
import dev.workcell.proto.v1.CampaignService;
import dev.workcell.proto.v1.DeleteCampaignRequest;
import dev.workcell.proto.v1.DeleteSubjectRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Replacing and deleting subjects and campaigns over REST and gRPC: each change is checked as a
 * creation is, commits with its audit row, and a refused one changes nothing; a subject a campaign
 * uses cannot go; a deleted campaign's actions stay in the ledger.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CampaignEditTest {

    private static final Duration CALL = Duration.ofSeconds(10);

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @GrpcClient("artifacts")
    ArtifactService artifacts;

    @GrpcClient("campaigns")
    CampaignService campaigns;

    @Test
    void aReplacedSubjectOrCampaignIsCheckedAsACreationAndAuditedAndARefusedOneStaysAsItWas() {
        String artifact = CampaignLab.upload(artifacts, port, unique("edited"));
        String name = unique("edited subject");
        String subject = CampaignLab.subject(name, artifact, "gles", "{\"team\": \"games\"}");
        String other = CampaignLab.subject(unique("other subject"), artifact, "gles", "{}");

        given().contentType(ContentType.JSON)
                .body(
                        "{\"name\": \"%s 2\", \"artifact\": \"%s\", \"api\": \"vulkan\", \"traceSeconds\": 30, \"labels\": {\"team\": \"bench\"}}"
                                .formatted(name, artifact))
                .put("/api/v1/subjects/" + subject)
                .then()
                .statusCode(200)
                .body("name", equalTo(name + " 2"))
                .body("api", equalTo("vulkan"))
                .body("traceSeconds", equalTo(30))
                .body("labels.team", equalTo("bench"))
                .body("id", equalTo(subject));
        assertThat(Api.auditKindsOf(subject)).containsExactly("subject.updated", "subject.created");

        replaceRefused(
                "/api/v1/subjects/" + subject,
                "{\"name\": \"x\", \"artifact\": \"%s\", \"api\": \"metal\"}".formatted(artifact),
                400,
                "api");
        replaceRefused(
                "/api/v1/subjects/" + subject,
                "{\"name\": \"x\", \"artifact\": \"%s\", \"api\": \"gles\"}".formatted("0".repeat(64)),
                404,
                "artifact");
        String otherName =
                given().get("/api/v1/subjects/" + other).then().extract().path("name");
        replaceRefused(
                "/api/v1/subjects/" + subject,
                "{\"name\": \"%s\", \"artifact\": \"%s\", \"api\": \"gles\"}".formatted(otherName, artifact),
                409,
                "name");
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"artifact\": \"%s\", \"api\": \"gles\"}".formatted(artifact))
                .put("/api/v1/subjects/00000000000000ff")
                .then()
                .statusCode(404);
        given().contentType(ContentType.JSON)
                .body("{}")
                .put("/api/v1/subjects/nope")
                .then()
                .statusCode(400)
                .body("field", equalTo("id"));
        given().get("/api/v1/subjects/" + subject)
                .then()
                .statusCode(200)
                .body("name", equalTo(name + " 2"))
                .body("api", equalTo("vulkan"));
        assertThat(Api.auditKindsOf(subject))
                .as("refused changes write no audit row")
                .hasSize(2);

        String kinds = "[{\"name\": \"any\", \"dimensions\": {\"os\": \"linux\"}}]";
        String campaignName = unique("edited campaign");
        String campaign = CampaignLab.campaign(campaignName, List.of(subject), kinds);
        String otherCampaign = CampaignLab.campaign(unique("other campaign"), List.of(other), kinds);
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"%s 2\", \"subjectIds\": [\"%s\", \"%s\"], \"kinds\": %s, \"replayOn\": [\"HOST\"]}"
                        .formatted(campaignName, subject, other, kinds))
                .put("/api/v1/campaigns/" + campaign)
                .then()
                .statusCode(200)
                .body("name", equalTo(campaignName + " 2"))
                .body("subjectIds", equalTo(List.of(subject, other)))
                .body("replayOn", equalTo(List.of("HOST")));
        assertThat(Api.auditKindsOf(campaign)).containsExactly("campaign.updated", "campaign.created");
        String otherCampaignName = given().get("/api/v1/campaigns/" + otherCampaign)
                .then()
                .extract()
                .path("name");
        replaceRefused(
                "/api/v1/campaigns/" + campaign,
                "{\"name\": \"%s\", \"subjectIds\": [\"%s\"], \"kinds\": %s}"
                        .formatted(otherCampaignName, subject, kinds),
                409,
                "name");
        replaceRefused(
                "/api/v1/campaigns/" + campaign,
                "{\"name\": \"y\", \"subjectIds\": [\"00000000000000ff\"], \"kinds\": %s}".formatted(kinds),
                404,
                "subject_ids[0]");
        replaceRefused(
                "/api/v1/campaigns/" + campaign,
                "{\"name\": \"y\", \"subjectIds\": [\"%s\"], \"kinds\": []}".formatted(subject),
                400,
                "kinds");
        given().get("/api/v1/campaigns/" + campaign)
                .then()
                .statusCode(200)
                .body("name", equalTo(campaignName + " 2"))
                .body("subjectIds", equalTo(List.of(subject, other)));
        assertThat(Api.auditKindsOf(campaign)).hasSize(2);
    }

    @Test
    void aSubjectInUseCannotBeDeletedAndADeletedCampaignLeavesItsActionsInTheLedger() throws Exception {
        Path gate = Files.createTempDirectory("edit-gate");
        try (CampaignLab lab = CampaignLab.start(port, gate)) {
            String run = unique("deleted");
            String subject = CampaignLab.subject(
                    "game " + run, CampaignLab.upload(artifacts, port, "game " + run), "vulkan", "{}");
            String campaign = CampaignLab.campaign("doomed " + run, List.of(subject), lab.kinds());
            CampaignTest.runCampaign(campaign);
            List<String> traces =
                    CampaignTest.grid(campaign, "subject", "operation", null).getList("cells.actionIds.flatten()");
            assertThat(traces).hasSize(2);

            given().delete("/api/v1/subjects/" + subject)
                    .then()
                    .statusCode(409)
                    .body("field", equalTo("id"))
                    .body("error", containsString("campaign " + campaign));
            StatusRuntimeException inUse = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> campaigns
                            .deleteSubject(DeleteSubjectRequest.newBuilder()
                                    .setId(subject)
                                    .build())
                            .await()
                            .atMost(CALL));
            assertThat(inUse.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            given().get("/api/v1/subjects/" + subject).then().statusCode(200);

            given().delete("/api/v1/campaigns/" + campaign)
                    .then()
                    .statusCode(200)
                    .body("id", equalTo(campaign));
            given().get("/api/v1/campaigns/" + campaign).then().statusCode(404);
            given().get("/api/v1/campaigns/" + campaign + "/grid").then().statusCode(404);
            given().delete("/api/v1/campaigns/" + campaign).then().statusCode(404);
            assertThat(Api.auditKindsOf(campaign))
                    .containsExactly("campaign.deleted", "campaign.run", "campaign.created");
            for (String trace : traces) {
                JsonPath kept = Api.action(trace);
                assertThat(kept.getString("operation"))
                        .as("the campaign's actions stay in the ledger")
                        .isEqualTo("TRACE");
            }
            Files.createFile(gate.resolve("go"));
            traces.forEach(trace -> Api.awaitStatus(trace, "SUCCEEDED"));

            given().delete("/api/v1/subjects/" + subject).then().statusCode(200).body("id", equalTo(subject));
            given().get("/api/v1/subjects/" + subject).then().statusCode(404);
            assertThat(Api.auditKindsOf(subject)).containsExactly("subject.deleted", "subject.created");
            StatusRuntimeException gone = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> campaigns
                            .deleteCampaign(DeleteCampaignRequest.newBuilder()
                                    .setId(campaign)
                                    .build())
                            .await()
                            .atMost(CALL));
            assertThat(gone.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            LedgerAudit.ofRunningApp().assertConsistent(traces);
        }
    }

    @Test
    void aCreationOrReplacementWithoutABodyIsRefusedAsEveryBodylessRequestIs() {
        String subject = CampaignLab.subject(
                unique("bodiless"), CampaignLab.upload(artifacts, port, unique("bodiless")), "gles", "{}");
        for (String path : List.of("/api/v1/subjects", "/api/v1/campaigns")) {
            given().contentType(ContentType.JSON)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .body("field", equalTo("body"));
        }
        given().contentType(ContentType.JSON)
                .put("/api/v1/subjects/" + subject)
                .then()
                .statusCode(400)
                .body("field", equalTo("body"));
        given().contentType(ContentType.JSON)
                .put("/api/v1/campaigns/00000000000000ff")
                .then()
                .statusCode(400)
                .body("field", equalTo("body"));
        assertThat(Api.auditKindsOf(subject)).as("nothing written").containsExactly("subject.created");
    }

    private static void replaceRefused(String path, String body, int status, String field) {
        given().contentType(ContentType.JSON)
                .body(body)
                .put(path)
                .then()
                .statusCode(status)
                .body("field", equalTo(field));
    }
}
