package dev.workcell.controlplane.campaign;

import static dev.workcell.controlplane.testing.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.UnreadGrpcWatch;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.ArtifactService;
import dev.workcell.proto.v1.Campaign;
import dev.workcell.proto.v1.CampaignGridCell;
import dev.workcell.proto.v1.CampaignGridRequest;
import dev.workcell.proto.v1.CampaignService;
import dev.workcell.proto.v1.CampaignServiceGrpc;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * CampaignService, the gRPC twin: the same calls and refusals, a grid watch that follows the campaign's
 * cells live, and one that stops reading cut off.
 */
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
            Subject subject = campaigns
                    .createSubject(CreateSubjectRequest.newBuilder()
                            .setName(name)
                            .setArtifact(CampaignLab.upload(artifacts, port, name))
                            .setApi("vulkan")
                            .build())
                    .await()
                    .atMost(CALL);
            Campaign campaign = campaigns
                    .createCampaign(CreateCampaignRequest.newBuilder()
                            .setName(name)
                            .addSubjectIds(subject.getId())
                            .addKinds(DeviceKind.newBuilder()
                                    .setName("pixel")
                                    .putDimensions("host", lab.host)
                                    .putDimensions("model", "pixel 8"))
                            .build())
                    .await()
                    .atMost(CALL);

            Map<String, CampaignGridCell> seen = new ConcurrentHashMap<>();
            Cancellable watch = campaigns
                    .watchGrid(CampaignGridRequest.newBuilder()
                            .setId(campaign.getId())
                            .setRows("subject")
                            .setCols("operation")
                            .build())
                    .subscribe()
                    .with(cell -> seen.put(cell.getColumn(), cell));
            try {
                assertThat(campaigns
                                .runCampaign(RunCampaignRequest.newBuilder()
                                        .setId(campaign.getId())
                                        .build())
                                .await()
                                .atMost(CALL)
                                .getCreated())
                        .isEqualTo(1);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .untilAsserted(
                                () -> assertThat(seen.keySet()).containsExactlyInAnyOrder("TRACE", "REPLAY", "REPORT"));
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(seen.values())
                                .allSatisfy(cell -> assertThat(cell.getLatest()).isEqualTo(ActionStatus.SUCCEEDED)));
                assertThat(seen.values()).allSatisfy(cell -> {
                    assertThat(cell.getRow()).isEqualTo(subject.getId());
                    assertThat(cell.getCountsMap()).isEqualTo(Map.of("SUCCEEDED", 1));
                });
            } finally {
                watch.cancel();
            }
            assertThat(campaigns
                            .getCampaign(GetCampaignRequest.newBuilder()
                                    .setId(campaign.getId())
                                    .build())
                            .await()
                            .atMost(CALL)
                            .getRuns())
                    .isEqualTo(1);

            StatusRuntimeException taken = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> campaigns
                            .createSubject(CreateSubjectRequest.newBuilder()
                                    .setName(name)
                                    .setArtifact(subject.getArtifact())
                                    .setApi("gles")
                                    .build())
                            .await()
                            .atMost(CALL));
            StatusRuntimeException unknown = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> campaigns
                            .runCampaign(RunCampaignRequest.newBuilder()
                                    .setId("00000000000000ff")
                                    .build())
                            .await()
                            .atMost(CALL));
            StatusRuntimeException badAxis = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> campaigns
                            .watchGrid(CampaignGridRequest.newBuilder()
                                    .setId(campaign.getId())
                                    .setRows("device")
                                    .build())
                            .collect()
                            .asList()
                            .await()
                            .atMost(CALL));
            assertThat(taken.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(badAxis.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(badAxis.getStatus().getDescription()).contains("rows");
        }
    }

    /**
     * A WatchGrid client that asks for no cell, with a window so small that one cell fills it (the
     * cells are small: filling a usual window would take a campaign of thousands of actions), is cut
     * off with RESOURCE_EXHAUSTED once the test profile's limit of 200 cells went unsent to it; one that
     * reads beside it follows the campaign to its end.
     */
    @Test
    void aGridWatcherThatStopsReadingIsCutOffAndOneThatReadsIsNot() throws Exception {
        Path gate = Files.createTempDirectory("grid-grpc-gate");
        try (CampaignLab lab = CampaignLab.start(port, gate)) {
            String campaign = lab.bulkCampaign(artifacts, port, 30);
            CampaignGridRequest grid = CampaignGridRequest.newBuilder()
                    .setId(campaign)
                    .setRows("subject")
                    .setCols("operation")
                    .build();
            Map<String, CampaignGridCell> read = new ConcurrentHashMap<>();
            Cancellable reading = campaigns
                    .watchGrid(grid)
                    .subscribe()
                    .with(cell -> read.put(cell.getRow() + "/" + cell.getColumn(), cell));
            try (UnreadGrpcWatch<CampaignGridRequest, CampaignGridCell> stalled =
                    UnreadGrpcWatch.withWindow(port, 16, CampaignServiceGrpc.getWatchGridMethod(), grid)) {
                CampaignTest.runCampaign(campaign);
                Files.createFile(gate.resolve("go"));
                Awaitility.await()
                        .atMost(Duration.ofMinutes(4))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> read.values().stream()
                                        .mapToInt(cell -> cell.getCountsOrDefault("SUCCEEDED", 0))
                                        .sum()
                                == 180);

                Optional<Status> end = stalled.drain(Duration.ofSeconds(30));
                assertThat(end)
                        .as("the stalled grid watcher was cut off (it read %d cells)", stalled.received())
                        .isPresent();
                assertThat(end.get().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(end.get().getDescription()).contains("200 cells behind");
                assertThat(stalled.received())
                        .as("cells the stalled watcher got before it was cut off")
                        .isPositive();
            } finally {
                reading.cancel();
            }
        }
    }
}
