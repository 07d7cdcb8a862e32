package dev.workcell.controlplane.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.Management;
import dev.workcell.controlplane.testing.PostgresResource;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The management interface: health checks named and UP, anonymous access there while the API
 * still wants a token, the build and schema versions in /q/info, and the gRPC health service
 * answering as readiness does over a real gRPC call.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HealthTest {

    private static final int MANAGEMENT = Management.testPort();

    @Test
    void healthEndpointsAnswerUpWithEveryCheckNamed() {
        JsonPath ready = await().atMost(Duration.ofSeconds(10)).until(() -> health("/q/health/ready", 200), json -> json != null);
        JsonPath live = health("/q/health/live", 200);
        JsonPath started = health("/q/health/started", 200);

        assertThat(ready.getString("status")).isEqualTo("UP");
        assertThat(ready.getList("checks.name", String.class)).contains("database", "cluster-bus", "replica-heartbeat");
        assertThat(ready.getList("checks.status", String.class)).containsOnly("UP");
        assertThat(live.getList("checks.name", String.class)).containsExactly("event-loop");
        assertThat(live.getString("status")).isEqualTo("UP");
        assertThat(started.getList("checks.name", String.class)).containsExactly("started");
        assertThat(started.getString("status")).isEqualTo("UP");
    }

    @Test
    void theManagementPortNeedsNoTokenWhileTheApiStillDoes() {
        Management.on(MANAGEMENT).get("/q/health/ready").then().statusCode(200);
        Management.on(MANAGEMENT).get("/q/metrics").then().statusCode(200);
        Management.on(MANAGEMENT).get("/q/info").then().statusCode(200);

        RestAssured.given().auth().none().get("/api/v1/workers").then().statusCode(401);
        // The management paths are not on the API's port.
        RestAssured.given().auth().none().get("/q/health/ready").then().statusCode(404);
    }

    @Test
    void infoGivesTheBuildVersionAndTheAppliedSchemaVersion() throws IOException {
        JsonPath info = Management.on(MANAGEMENT).get("/q/info").then().statusCode(200).extract().jsonPath();

        assertThat(info.getString("build.version"))
                .isEqualTo(ConfigProvider.getConfig().getValue("quarkus.application.version", String.class));
        assertThat(info.getString("schema.version")).isEqualTo(latestMigration());
    }

    @Test
    void theGrpcHealthServiceAnswersServingOverARealCall() throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", Api.testPort()).usePlaintext().build();
        try {
            var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING));
            assertThat(health.check(HealthCheckRequest.newBuilder().setService("workcell.v1.ActionService").build()).getStatus())
                    .isEqualTo(ServingStatus.SERVING);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** The health document when the endpoint answers with this HTTP status, else null. */
    private static JsonPath health(String path, int status) {
        var response = Management.on(MANAGEMENT).get(path);
        return response.statusCode() == status ? response.jsonPath() : null;
    }

    /** The highest V<n> of the migrations shipped with the control plane. */
    static String latestMigration() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .max(Comparator.naturalOrder())
                    .map(String::valueOf)
                    .orElseThrow();
        }
    }
}
