package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.EnrollRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** An agent the control plane refuses: it backs off and says why, and its refusals fill one audit row, not one each. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RefusedAgentTest {

    private static final String REFUSED = "refused this agent (PERMISSION_DENIED: this agent enrolled for host ";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @GrpcClient("agents")
    AgentService agents;

    @Test
    void anAgentRegisteringAnotherHostThanItEnrolledForBacksOffAndItsRefusalsAreOneAuditRow() {
        String enrolled = unique("enrolled-host");
        try (AgentProcess first = AgentProcess.start(enrolled, "", port).awaitRegistered()) {
            assertThat(first.count(REFUSED)).isZero();
        }
        String agentId = agentIdOf(enrolled);
        Map<String, String> asAnotherHost = Map.of(
                "workcell.agent.credential-file",
                        AgentProcess.credentialFile(enrolled, port).toString(),
                "workcell.agent.enrollment-token", "wce_not-needed-it-has-a-credential",
                "workcell.agent.reconnect.refused-delay", "1s");
        try (AgentProcess moved = AgentProcess.start(unique("other-host"), "", port, asAnotherHost)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> moved.count(REFUSED) >= 3);
            long refusals = moved.count(REFUSED);

            List<Map<String, Object>> rows = auditRows("agent.refused", "agent " + agentId);
            assertThat(rows).hasSize(1);
            assertThat((Integer) rows.get(0).get("occurrences")).isBetween((int) refusals, (int) refusals + 1);
            assertThat(OffsetDateTime.parse((String) rows.get(0).get("lastAt")))
                    .isAfter(OffsetDateTime.parse((String) rows.get(0).get("at")));
            assertThat(moved.count("no connection to the control plane")).isZero();
        }
    }

    @Test
    void theSameRefusedEnrollmentRepeatedIsOneAuditRowCountingEach() {
        String host = unique("bad-token-host");
        for (int i = 0; i < 3; i++) {
            EnrollRequest request = EnrollRequest.newBuilder()
                    .setEnrollmentToken("wce_no-such-token")
                    .setHost(Device.newBuilder().setName(host))
                    .build();
            assertThat(Uni.createFrom()
                            .item(request)
                            .chain(agents::enroll)
                            .onFailure()
                            .recoverWithNull()
                            .await()
                            .atMost(Duration.ofSeconds(10)))
                    .isNull();
        }

        List<Map<String, Object>> rows = auditRows("enrollment.refused", "host " + host);

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("occurrences", 3);
    }

    private static List<Map<String, Object>> auditRows(String kind, String actor) {
        List<Map<String, Object>> all = given().get("/api/v1/audit?limit=1000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        return all.stream()
                .filter(row -> kind.equals(row.get("kind")) && actor.equals(row.get("actor")))
                .toList();
    }

    private static String agentIdOf(String host) {
        return given().get("/api/v1/agents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("find { it.hostName == '" + host + "' && it.revokedAt == null }.id");
    }
}
