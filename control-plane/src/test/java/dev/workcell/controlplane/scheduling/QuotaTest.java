package dev.workcell.controlplane.scheduling;

import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.scheduling.Submitters.Submitter;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.Task;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Admin quotas per submitter against the running control plane, real PostgreSQL and an agent
 * stream over real gRPC: a submitter at its quota waits while others go, even when one claim batch
 * offers it several devices at once; only admins change quotas, bad input changes nothing, and
 * each change commits with its audit row.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class QuotaTest {

    private static final Duration NO_TASK = Duration.ofMillis(1500);

    @GrpcClient("agents")
    AgentService agents;

    @Test
    void aSubmitterAtItsQuotaWaitsWhileOthersGo() {
        Submitter capped = Submitters.create("capped", "submitter");
        Submitter other = Submitters.create("uncapped", "submitter");
        String host = unique("quota-host");
        List<String> targets = List.of(unique("quota-phone-a"), unique("quota-phone-b"), unique("quota-phone-c"));
        try (FakeAgent first = new FakeAgent(agents)) {
            first.send(hello(host, targets)).next(ControlMessage::hasWelcome);
        }
        given().contentType(ContentType.JSON)
                .body("{\"maxRunning\": 1, \"note\": \"one phone at a time\"}")
                .put("/api/v1/quotas/" + capped.id())
                .then()
                .statusCode(200);
        List<String> cappedIds = new ArrayList<>();
        targets.forEach(target -> cappedIds.add(capped.submit(target, "echo capped", null)));

        // The agent comes back: its three free devices are claimed for together.
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.send(hello(host, targets)).next(ControlMessage::hasWelcome);
            Task running = agent.next(ControlMessage::hasTask).getTask();
            assertThat(cappedIds).contains(running.getActionId());
            assertThat(agent.poll(ControlMessage::hasTask, NO_TASK))
                    .as("a second task of the capped submitter")
                    .isEmpty();

            String idle = targets.stream()
                    .filter(target -> !Api.action(running.getActionId())
                            .getString("targetName")
                            .equals(target))
                    .findFirst()
                    .orElseThrow();
            String otherId = other.submit(idle, "echo other", null);
            Task others = agent.next(ControlMessage::hasTask).getTask();
            assertThat(others.getActionId())
                    .as("another submitter's action, submitted later on a device the capped one waits for")
                    .isEqualTo(otherId);
            agent.send(FakeAgent.update(otherId, 1, ActionStatus.SUCCEEDED));
            assertThat(agent.poll(ControlMessage::hasTask, NO_TASK))
                    .as("a task while the capped submitter is at its quota")
                    .isEmpty();

            agent.send(FakeAgent.update(running.getActionId(), 1, ActionStatus.SUCCEEDED));
            Task next = agent.next(ControlMessage::hasTask).getTask();
            assertThat(next.getActionId()).isIn(cappedIds).isNotEqualTo(running.getActionId());
            assertThat(agent.poll(ControlMessage::hasTask, NO_TASK))
                    .as("a second task of the capped submitter")
                    .isEmpty();

            given().delete("/api/v1/quotas/" + capped.id())
                    .then()
                    .statusCode(200)
                    .body("maxRunning", org.hamcrest.Matchers.equalTo(1));
            Task last = agent.next(ControlMessage::hasTask).getTask();
            assertThat(last.getActionId()).isIn(cappedIds).isNotIn(running.getActionId(), next.getActionId());
            for (Task task : List.of(next, last)) {
                agent.send(FakeAgent.update(task.getActionId(), 1, ActionStatus.SUCCEEDED));
            }
            cappedIds.forEach(id -> Api.awaitStatus(id, "SUCCEEDED"));
            assertThat(Api.auditKindsOf(capped.id())).containsSubsequence("quota.removed", "quota.set");
            List<String> all = new ArrayList<>(cappedIds);
            all.add(otherId);
            LedgerAudit.ofRunningApp().assertConsistent(all);
        }
    }

    @Test
    void onlyAnAdminChangesAQuotaAndBadInputChangesNothing() {
        Submitter submitter = Submitters.create("quota-subject", "submitter");
        given().contentType(ContentType.JSON)
                .body("{\"maxRunning\": 3, \"note\": \"nightly load\"}")
                .put("/api/v1/quotas/" + submitter.id())
                .then()
                .statusCode(200);
        List<String> auditBefore = Api.auditKindsOf(submitter.id());

        given().auth()
                .oauth2(submitter.secret())
                .contentType(ContentType.JSON)
                .body("{\"maxRunning\": 100}")
                .put("/api/v1/quotas/" + submitter.id())
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(submitter.secret())
                .delete("/api/v1/quotas/" + submitter.id())
                .then()
                .statusCode(403);
        refused(submitter.id(), "{\"maxRunning\": -1}", 400, "maxRunning");
        refused(submitter.id(), "{\"maxRunning\": 100001}", 400, "maxRunning");
        refused(submitter.id(), "{\"note\": \"no number\"}", 400, "maxRunning");
        refused(submitter.id(), "{\"maxRunning\": \"many\"}", 400, "maxRunning");
        refused(submitter.id(), "{\"maxRunning\": 2, \"note\": \"bell\\u0007\"}", 400, "note");
        refused(unique("wct_no-such-token"), "{\"maxRunning\": 2}", 404, "submitter");
        given().delete("/api/v1/quotas/" + unique("wct_no-quota"))
                .then()
                .statusCode(404)
                .body("field", org.hamcrest.Matchers.equalTo("submitter"));

        Submitter viewer = Submitters.create("quota-viewer", "viewer");
        JsonPath quota = given().auth()
                .oauth2(viewer.secret())
                .get("/api/v1/quotas/" + submitter.id())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(quota.getInt("maxRunning")).isEqualTo(3);
        assertThat(quota.getString("note")).isEqualTo("nightly load");
        assertThat(given().auth()
                        .oauth2(viewer.secret())
                        .get("/api/v1/quotas")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("quotas.submitter", String.class))
                .contains(submitter.id());
        assertThat(Api.auditKindsOf(submitter.id()))
                .as("audit rows of the submitter")
                .isEqualTo(auditBefore);
    }

    private static void refused(String submitter, String body, int status, String field) {
        JsonPath refusal = given().contentType(ContentType.JSON)
                .body(body)
                .put("/api/v1/quotas/" + submitter)
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
        assertThat(refusal.getString("field")).as(body).isEqualTo(field);
        assertThat(refusal.getString("error")).as(body).isNotBlank();
    }

    private static Hello hello(String host, List<String> targets) {
        Hello.Builder hello = Hello.newBuilder()
                .setHost(Device.newBuilder().setName(host).setSerial(host))
                .setAgentVersion("fake");
        targets.forEach(target -> hello.addTargets(TargetDevice.newBuilder()
                .setDevice(Device.newBuilder().setName(target).setSerial(target))
                .addOperations(Operation.EXEC)));
        return hello.build();
    }
}
