package dev.workcell.controlplane.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.Management;
import dev.workcell.controlplane.testing.PostgresResource;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
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
        JsonPath ready = await().atMost(Duration.ofSeconds(10))
                .until(() -> health("/q/health/ready", 200), json -> json != null);
        JsonPath live = health("/q/health/live", 200);
        JsonPath started = health("/q/health/started", 200);

        assertThat(ready.getString("status")).isEqualTo("UP");
        assertThat(ready.getList("checks.name", String.class))
                .contains("database", "cluster-bus", "replica-heartbeat", "replica-lifecycle");
        assertThat(ready.getString("checks.find { it.name == 'replica-lifecycle' }.data.state"))
                .isEqualTo("serving");
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
    void infoGivesTheBuildVersionAndTheAppliedSchemaVersion() {
        JsonPath info = Management.on(MANAGEMENT)
                .get("/q/info")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(info.getString("build.version"))
                .isEqualTo(ConfigProvider.getConfig().getValue("quarkus.application.version", String.class));
        assertThat(info.getString("schema.version")).isEqualTo(Management.latestMigration());
    }

    @Test
    void theGrpcHealthServiceAnswersServingOverARealCall() {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(Management.grpcHealth(Api.testPort(), "")).isEqualTo(ServingStatus.SERVING));
        assertThat(Management.grpcHealth(Api.testPort(), "workcell.v1.ActionService"))
                .isEqualTo(ServingStatus.SERVING);
    }

    /** The health document when the endpoint answers with this HTTP status, else null. */
    private static JsonPath health(String path, int status) {
        var response = Management.on(MANAGEMENT).get(path);
        return response.statusCode() == status ? response.jsonPath() : null;
    }
}
