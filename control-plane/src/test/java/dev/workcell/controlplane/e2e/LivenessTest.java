package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.deviceId;
import static dev.workcell.controlplane.testing.Api.workersOfHost;
import static dev.workcell.controlplane.testing.FakeAgent.hello;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Heartbeat;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the workers list says about an agent: offline the moment its process dies, last seen at its last heartbeat. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LivenessTest {

    @GrpcClient("agents")
    AgentService agents;

    static Instant lastSeen(String workerId) {
        return Instant.parse(given().get("/api/v1/workers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("workers.find { it.id == '" + workerId + "' }.lastSeen"));
    }

    @Test
    void aSigkilledAgentsWorkersAreOfflineWithinASecond() {
        String host = Api.unique("killed-agent");
        AgentProcess agent = AgentProcess.start(host, Api.unique("killed-agent-phone"), Api.testPort())
                .awaitRegistered();
        String hostId = deviceId(host);
        assertThat(workersOfHost(hostId))
                .isNotEmpty()
                .allMatch(worker -> worker.get("live").equals(true));

        long killed = System.nanoTime();
        agent.kill();
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> workersOfHost(hostId).stream()
                        .noneMatch(worker -> worker.get("live").equals(true)));

        System.out.printf(
                "SIGKILLed agent's workers offline %d ms after the kill%n", (System.nanoTime() - killed) / 1_000_000);
    }

    @Test
    void heartbeatsRefreshTheWorkersLastSeen() {
        String suffix = Api.unique("heartbeat");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String workerId = agent.send(hello("host-" + suffix, "phone-" + suffix))
                    .next(ControlMessage::hasWelcome)
                    .getWelcome()
                    .getWorkers(0)
                    .getId();
            Instant registered = lastSeen(workerId);

            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        agent.send(AgentMessage.newBuilder()
                                .setHeartbeat(Heartbeat.getDefaultInstance())
                                .build());
                        agent.next(ControlMessage::hasHeartbeat);
                        assertThat(lastSeen(workerId)).isAfter(registered);
                    });
        }
    }
}
