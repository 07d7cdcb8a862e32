package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.AgentService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** "Why is it pending?" for an action whose device waits for an admin's approval (approval required). */
@QuarkusTest
@TestProfile(DeviceApprovalTest.ApprovalRequired.class)
@WithTestResource(PostgresResource.class)
class PendingApprovalTest {

    @GrpcClient("agents")
    AgentService agents;

    @Test
    void anActionOnAnUnapprovedDeviceSaysItsDeviceWaitsForApproval() {
        String target = unique("unapproved-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String device = agent.register(unique("unapproved-host"), target)
                    .getWorkers(0)
                    .getTarget();
            String id = submitShell(target, "true");

            JsonPath why = given().get("/api/v1/actions/" + id + "/pending")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();

            assertThat(why.getString("reason")).isEqualTo("DEVICES_UNAPPROVED");
            assertThat(why.getInt("slices[0].unapproved")).isEqualTo(1);
            assertThat(why.getString("summary")).isEqualTo("Its device is waiting for approval.");
            given().post("/api/v1/devices/" + device + "/approve").then().statusCode(200);
        }
    }
}
