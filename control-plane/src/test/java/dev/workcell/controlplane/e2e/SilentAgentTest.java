package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.FakeAgent.hello;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Heartbeat;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An agent whose network stalls (no FIN, no messages) is taken offline after the silence limit. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(SilentAgentTest.ShortSilence.class)
class SilentAgentTest {

    /** A 5 s silence limit, so that the test does not wait 15 s. */
    public static class ShortSilence implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("workcell.liveness.silence", "5s");
        }
    }

    @GrpcClient("agents")
    AgentService agents;

    static boolean live(String workerId) {
        return given().get("/api/v1/workers")
                .then()
                .extract()
                .jsonPath()
                .getBoolean("workers.find { it.id == '" + workerId + "' }.live");
    }

    @Test
    void aSilentAgentIsTakenOfflineWhileOneThatHeartbeatsStays() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try (FakeAgent silent = new FakeAgent(agents);
                FakeAgent chatty = new FakeAgent(agents)) {
            String silentWorker = silent.send(hello("silent-" + suffix, "silent-phone-" + suffix))
                    .next(ControlMessage::hasWelcome)
                    .getWelcome()
                    .getWorkers(0)
                    .getId();
            String id = submitShell("silent-phone-" + suffix, "sleep 100");
            silent.next(ControlMessage::hasTask);
            silent.send(update(id, 1, ActionStatus.RUNNING));
            // Registered only now, so that a slow submit on a busy machine does not keep it silent too long.
            String chattyWorker = chatty.send(hello("chatty-" + suffix, "chatty-phone-" + suffix))
                    .next(ControlMessage::hasWelcome)
                    .getWelcome()
                    .getWorkers(0)
                    .getId();

            // The chatty agent heartbeats at each poll, the silent one never.
            await().atMost(Duration.ofSeconds(20))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        chatty.send(AgentMessage.newBuilder()
                                .setHeartbeat(Heartbeat.getDefaultInstance())
                                .build());
                        assertThat(chatty.next(ControlMessage::hasHeartbeat)).isNotNull();
                        assertThat(live(silentWorker))
                                .as("silent agent offline")
                                .isFalse();
                    });
            assertThat(live(chattyWorker)).as("heartbeating agent still live").isTrue();
            assertThat(silent.awaitEnd())
                    .as("the silent agent's stream is closed")
                    .isTrue();
            assertThat(Api.action(id).getString("status"))
                    .as("its attempt is leased, not lost yet")
                    .isEqualTo("RUNNING");
        }
    }
}
