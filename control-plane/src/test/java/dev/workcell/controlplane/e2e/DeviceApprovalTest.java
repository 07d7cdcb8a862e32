package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With approval required, a new device gets no work until an admin approves it; then its queue starts at once. */
@QuarkusTest
@TestProfile(DeviceApprovalTest.ApprovalRequired.class)
@WithTestResource(PostgresResource.class)
class DeviceApprovalTest {

    public static class ApprovalRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("workcell.devices.require-approval", "true");
        }
    }

    @GrpcClient("agents")
    AgentService agents;

    @Test
    void aNewDeviceWaitsForApprovalAndThenGetsItsQueuedWork() {
        String target = unique("new-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String deviceId =
                    agent.register(unique("new-host"), target).getWorkers(0).getTarget();
            String id = submitShell(target, "true");

            assertThat(agent.poll(ControlMessage::hasTask, Duration.ofSeconds(2)))
                    .as("a task before approval")
                    .isEmpty();
            assertThat(Api.action(id).getString("status")).isEqualTo("QUEUED");
            Object approved = given().get("/api/v1/devices")
                    .then()
                    .extract()
                    .jsonPath()
                    .get("devices.find { it.id == '" + deviceId + "' }.approved");
            assertThat(approved).as("approved (absent in JSON when false)").isNotEqualTo(true);

            given().post("/api/v1/devices/" + deviceId + "/approve")
                    .then()
                    .statusCode(200)
                    .body("approved", org.hamcrest.Matchers.equalTo(true));

            assertThat(agent.next(ControlMessage::hasTask).getTask().getActionId())
                    .isEqualTo(id);
            given().post("/api/v1/devices/" + "f".repeat(40) + "/approve")
                    .then()
                    .statusCode(404);
            assertThat(given().get("/api/v1/audit").then().extract().jsonPath().getList("kind", String.class))
                    .contains("device.approved");
        }
    }
}
