package dev.workcell.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.Management;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.restassured.path.json.JsonPath;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows PostgreSQL: a control plane whose database stops goes not-ready (HTTP and
 * gRPC health) while it stays live, and ready again when the database returns, with no restart.
 */
class ReadinessIT {

    @Test
    void readinessGoesDownWhilePostgresIsStoppedAndUpWhenItReturnsWithoutARestart() throws Exception {
        Path data = Files.createTempDirectory("workcell-pg-readiness");
        int pgPort = ControlPlaneProcess.freePort();
        int port = ControlPlaneProcess.freePort();
        Map<String, String> database = Map.of(
                "WORKCELL_DB",
                "127.0.0.1:" + pgPort + "/postgres",
                "WORKCELL_DB_USER",
                "postgres",
                "WORKCELL_DB_PASSWORD",
                "postgres");
        EmbeddedPostgres postgres = PostgresRestartIT.start(data, pgPort);
        try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(port, database)) {
            int management = controlPlane.managementPort();
            awaitReadiness(management, 200);
            assertThat(Management.grpcHealth(port, "")).isEqualTo(ServingStatus.SERVING);
            assertThat(Management.on(management).get("/q/info").jsonPath().getString("schema.version"))
                    .as("read after the migrations of a fresh database")
                    .isEqualTo(Management.latestMigration());

            postgres.close();
            awaitReadiness(management, 503);
            // The LISTEN connection is seen down at once, the database at the next probe (every second).
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonPath down = readiness(management);
                assertThat(checkStatus(down, "database")).isEqualTo("DOWN");
                assertThat(checkStatus(down, "cluster-bus")).isEqualTo("DOWN");
                assertThat(checkStatus(down, "replica-heartbeat")).isEqualTo("DOWN");
            });
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(Management.grpcHealth(port, "")).isEqualTo(ServingStatus.NOT_SERVING));
            Management.on(management).get("/q/health/live").then().statusCode(200);

            postgres = PostgresRestartIT.start(data, pgPort);
            JsonPath up = awaitReadiness(management, 200);
            assertThat(up.getList("checks.status", String.class)).containsOnly("UP");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(Management.grpcHealth(port, "")).isEqualTo(ServingStatus.SERVING));
            assertThat(controlPlane.logText().split("started in", -1))
                    .as("started once, never restarted")
                    .hasSize(2);
        } finally {
            postgres.close();
        }
    }

    private static JsonPath awaitReadiness(int management, int status) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> {
                            var response = Management.on(management).get("/q/health/ready");
                            return response.statusCode() == status ? response.jsonPath() : null;
                        },
                        json -> json != null);
    }

    private static JsonPath readiness(int management) {
        return Management.on(management).get("/q/health/ready").jsonPath();
    }

    private static String checkStatus(JsonPath health, String check) {
        return health.getString("checks.find { it.name == '" + check + "' }.status");
    }
}
