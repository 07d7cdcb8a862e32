package dev.workcell.controlplane.campaign;

import static dev.workcell.controlplane.testing.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.ArtifactService;
import dev.workcell.proto.v1.Campaign;
import dev.workcell.proto.v1.CampaignGridCell;
import dev.workcell.proto.v1.CampaignGridRequest;
import dev.workcell.proto.v1.CampaignService;
import dev.workcell.proto.v1.CreateCampaignRequest;
import dev.workcell.proto.v1.CreateSubjectRequest;
import dev.workcell.proto.v1.DeviceKind;
import dev.workcell.proto.v1.GetCampaignRequest;
import dev.workcell.proto.v1.RunCampaignRequest;
import dev.workcell.proto.v1.Subject;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** CampaignService, the gRPC twin: the same calls and refusals, and a grid watch that follows the campaign's cells live. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CampaignGrpcTest {

    static final Duration CALL = Duration.ofSeconds(30);

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @GrpcClient("campaigns")
    CampaignService campaigns;

    @GrpcClient("artifacts")
    ArtifactService artifacts;

    @Test
    void aWatchedGridShowsEachCellAsTheTraceAndItsFollowUpsProgress() throws Exception {
        try (CampaignLab lab = CampaignLab.start(port)) {
            String name = unique("grpc game");
            Subject subject = campaigns.createSubject(CreateSubjectRequest.newBuilder().setName(name)
                    .setArtifact(CampaignLab.upload(artifacts, port, name)).setApi("vulkan").build()).await().atMost(CALL);
            Campaign campaign = campaigns.createCampaign(CreateCampaignRequest.newBuilder().setName(name).addSubjectIds(subject.getId())
                    .addKinds(DeviceKind.newBuilder().setName("pixel").putDimensions("host", lab.host).putDimensions("model", "pixel 8"))
                    .build()).await().atMost(CALL);

            Map<String, CampaignGridCell> seen = new ConcurrentHashMap<>();
            Cancellable watch = campaigns.watchGrid(CampaignGridRequest.newBuilder().setId(campaign.getId()).setRows("subject")
                            .setCols("operation").build())
                    .subscribe().with(cell -> seen.put(cell.getColumn(), cell));
            try {
                assertThat(campaigns.runCampaign(RunCampaignRequest.newBuilder().setId(campaign.getId()).build())
                        .await().atMost(CALL).getCreated()).isEqualTo(1);
                Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(seen.keySet())
                        .containsExactlyInAnyOrder("TRACE", "REPLAY", "REPORT"));
                Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(seen.values())
                        .allSatisfy(cell -> assertThat(cell.getLatest()).isEqualTo(ActionStatus.SUCCEEDED)));
                assertThat(seen.values()).allSatisfy(cell -> {
                    assertThat(cell.getRow()).isEqualTo(subject.getId());
                    assertThat(cell.getCountsMap()).isEqualTo(Map.of("SUCCEEDED", 1));
                });
            } finally {
                watch.cancel();
            }
            assertThat(campaigns.getCampaign(GetCampaignRequest.newBuilder().setId(campaign.getId()).build()).await().atMost(CALL).getRuns())
                    .isEqualTo(1);

            StatusRuntimeException taken = catchThrowableOfType(StatusRuntimeException.class, () -> campaigns.createSubject(
                    CreateSubjectRequest.newBuilder().setName(name).setArtifact(subject.getArtifact()).setApi("gles").build()).await().atMost(CALL));
            StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class, () -> campaigns.runCampaign(
                    RunCampaignRequest.newBuilder().setId("00000000000000ff").build()).await().atMost(CALL));
            StatusRuntimeException badAxis = catchThrowableOfType(StatusRuntimeException.class, () -> campaigns.watchGrid(
                    CampaignGridRequest.newBuilder().setId(campaign.getId()).setRows("device").build()).collect().asList().await().atMost(CALL));
            assertThat(taken.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(badAxis.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(badAxis.getStatus().getDescription()).contains("rows");
        }
    }
}
