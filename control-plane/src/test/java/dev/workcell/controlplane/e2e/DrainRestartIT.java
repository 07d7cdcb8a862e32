package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A drain lives in PostgreSQL, not in a replica's memory: the control plane is SIGKILLed after an
 * agent was drained, a new instance starts on the same database, the agent reconnects to it and
 * still gets no task until an admin undrains it.
 */
class DrainRestartIT {

    static final PostgresResource POSTGRES = new PostgresResource();
    static Map<String, String> database;

    @BeforeAll
    static void database() {
        database = POSTGRES.startForProcesses();
    }

    @AfterAll
    static void stopDatabase() {
        POSTGRES.stop();
    }

    @Test
    void aDrainedAgentStaysDrainedAcrossARestartAndTakesWorkOnceUndrained() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String pool = "restart-pool-" + run;
        String host = "drained-host-" + run;
        String phone = "drained-phone-" + run;
        int port = ControlPlaneProcess.freePort();
        RestAssured.port = port;
        ControlPlaneProcess first = ControlPlaneProcess.start(port, database);
        Map<String, String> enrolledInPool =
                Map.of("workcell.agent.enrollment-token", TestCredentials.enrollmentToken(port, pool));
        try (AgentProcess agent =
                AgentProcess.start(host, phone, port, enrolledInPool).awaitRegistered()) {
            String agentId = given().get("/api/v1/pools/" + pool)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("agents[0].id");
            given().post("/api/v1/agents/" + agentId + "/drain").then().statusCode(200);

            first.kill();
            try (ControlPlaneProcess second = ControlPlaneProcess.start(port, database)) {
                agent.awaitRegistered(2, Duration.ofSeconds(30));
                String id = submitShell(phone, "echo after the restart");

                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> Api.action(id).getString("status").equals("QUEUED"));
                JsonPath view = given().get("/api/v1/pools/" + pool)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                assertThat(view.getMap("agents[0]"))
                        .containsEntry("id", agentId)
                        .containsEntry("live", true)
                        .containsEntry("draining", true)
                        .containsEntry("running", 0);
                assertThat(view.getInt("queued")).isEqualTo(1);

                given().post("/api/v1/agents/" + agentId + "/undrain").then().statusCode(200);
                JsonPath done = awaitStatus(id, java.util.Set.of("SUCCEEDED"), Duration.ofSeconds(30));
                assertThat(done.getString("output.stdoutTail")).contains("after the restart");
            }
        } finally {
            first.close();
        }
    }
}
