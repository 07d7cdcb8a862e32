package dev.workcell.controlplane.pool;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Task;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Agent pools through the REST API with agents on real gRPC streams: what a pool needs (its
 * agents busy or idle, the queue of its devices), and draining an agent before it is removed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AgentPoolTest {

    @GrpcClient("agents")
    AgentService agents;

    @Test
    void aPoolCountsItsBusyAndIdleAgentsAndTheQueueOfItsDevices() {
        String pool = unique("p");
        String busyHost = unique("pool-busy-host");
        String busyPhone = unique("pool-busy-phone");
        String idleHost = unique("pool-idle-host");
        try (FakeAgent busy = new FakeAgent(agents, pool);
                FakeAgent idle = new FakeAgent(agents, pool)) {
            busy.register(busyHost, busyPhone);
            idle.register(idleHost, unique("pool-idle-phone"));
            String running = submitShell(busyPhone, "echo running");
            run(busy, running);
            long beforeQueueing = System.nanoTime();
            List<String> queued = List.of(
                    submitShell(busyPhone, "echo 1"),
                    submitShell(busyPhone, "echo 2"),
                    submitShell(busyPhone, "echo 3"));

            JsonPath view = pool(pool);
            double waitedAtMost = (System.nanoTime() - beforeQueueing) / 1e9;

            assertThat(view.getString("pool")).isEqualTo(pool);
            assertThat(figures(view))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "total",
                            2,
                            "live",
                            2,
                            "busy",
                            1,
                            "idle",
                            1,
                            "draining",
                            0,
                            "devices",
                            2,
                            "running",
                            1,
                            "queued",
                            3));
            assertThat(view.getDouble("oldestQueuedSeconds")).isGreaterThan(0).isLessThanOrEqualTo(waitedAtMost);
            assertThat(view.getList("agents.hostName")).containsExactlyInAnyOrder(busyHost, idleHost);
            assertThat(member(view, busyHost))
                    .containsEntry("live", true)
                    .containsEntry("running", 1)
                    .containsEntry("idle", false)
                    .containsEntry("devices", 1)
                    .containsEntry("draining", false)
                    .containsEntry("drainingSince", null);
            assertThat(member(view, idleHost))
                    .containsEntry("live", true)
                    .containsEntry("running", 0)
                    .containsEntry("idle", true);

            JsonPath all = given().get("/api/v1/pools")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(all.getInt("pools.find { it.pool == '" + pool + "' }.queued"))
                    .isEqualTo(3);
            assertThat(all.getInt("pools.find { it.pool == '" + pool + "' }.busy"))
                    .isEqualTo(1);

            queued.forEach(id ->
                    given().post("/api/v1/actions/" + id + "/cancel").then().statusCode(200));
            busy.send(update(running, 1, ActionStatus.SUCCEEDED));
            awaitStatus(running, "SUCCEEDED");
        }
    }

    @Test
    void aPoolWithAnEnrollmentTokenButNoAgentYetNeedsNothing() {
        String pool = unique("p-empty");
        given().contentType(ContentType.JSON)
                .body("{\"pool\": \"" + pool + "\", \"reusable\": true}")
                .post("/api/v1/enrollment-tokens")
                .then()
                .statusCode(201);

        JsonPath view = pool(pool);

        assertThat(figures(view))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "total",
                        0,
                        "live",
                        0,
                        "busy",
                        0,
                        "idle",
                        0,
                        "draining",
                        0,
                        "devices",
                        0,
                        "running",
                        0,
                        "queued",
                        0));
        assertThat(view.getDouble("oldestQueuedSeconds")).isZero();
        assertThat(view.getList("agents")).isEmpty();
    }

    @Test
    void aDrainedAgentFinishesItsActionTakesNoNewOneAndTakesItOnceUndrained() {
        String pool = unique("p-drain");
        String host = unique("drain-host");
        String phone = unique("drain-phone");
        try (FakeAgent agent = new FakeAgent(agents, pool)) {
            agent.register(host, phone);
            String first = submitShell(phone, "echo first");
            run(agent, first);
            String agentId = member(pool(pool), host).get("id").toString();

            given().post("/api/v1/agents/" + agentId + "/drain")
                    .then()
                    .statusCode(200)
                    .body("id", org.hamcrest.Matchers.equalTo(agentId))
                    .body("draining", org.hamcrest.Matchers.equalTo(true))
                    .body("drainingSince", org.hamcrest.Matchers.notNullValue());
            String second = submitShell(phone, "echo second");
            agent.send(update(first, 1, ActionStatus.SUCCEEDED));
            assertThat(agent.next(ControlMessage::hasAck).getAck().getAccepted())
                    .isTrue();
            awaitStatus(first, "SUCCEEDED");

            assertThat(agent.poll(ControlMessage::hasTask, Duration.ofSeconds(2)))
                    .as("no task for a draining agent while an action waits for its device")
                    .isEmpty();
            assertThat(Api.action(second).getString("status")).isEqualTo("QUEUED");
            JsonPath drained = pool(pool);
            assertThat(member(drained, host))
                    .containsEntry("live", true)
                    .containsEntry("draining", true)
                    .containsEntry("idle", true)
                    .containsEntry("running", 0);
            assertThat(figures(drained))
                    .containsEntry("draining", 1)
                    .containsEntry("idle", 0)
                    .containsEntry("queued", 1)
                    .containsEntry("running", 0);
            assertThat(given().get("/api/v1/workers")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getBoolean("workers.find { it.hostName == '" + host + "' }.draining"))
                    .isTrue();
            assertThat(given().get("/api/v1/agents")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getBoolean("find { it.id == '" + agentId + "' }.draining"))
                    .isTrue();

            given().post("/api/v1/agents/" + agentId + "/undrain")
                    .then()
                    .statusCode(200)
                    .body("draining", org.hamcrest.Matchers.equalTo(false))
                    .body("drainingSince", org.hamcrest.Matchers.nullValue());
            Task task = agent.next(ControlMessage::hasTask).getTask();
            assertThat(task.getActionId()).isEqualTo(second);
            agent.send(update(second, 1, ActionStatus.SUCCEEDED));
            awaitStatus(second, "SUCCEEDED");
            assertThat(auditOf(agentId)).containsExactly("agent.undrained", "agent.drained");
        }
    }

    @Test
    void drainingTwiceKeepsTheFirstDrainAndAuditsItOnce() {
        String pool = unique("p-twice");
        String host = unique("twice-host");
        try (FakeAgent agent = new FakeAgent(agents, pool)) {
            agent.register(host, unique("twice-phone"));
            String agentId = member(pool(pool), host).get("id").toString();

            String since = given().post("/api/v1/agents/" + agentId + "/drain")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("drainingSince");
            String again = given().post("/api/v1/agents/" + agentId + "/drain")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("drainingSince");

            assertThat(again).isEqualTo(since);
            assertThat(auditOf(agentId)).containsExactly("agent.drained");
        }
    }

    @Test
    void unknownPoolsAndAgentsAreNotFoundARevokedAgentCannotBeDrainedAndAViewerMayReadButNotDrain() {
        String pool = unique("p-refusals");
        String host = unique("refusals-host");
        String revokedHost = unique("revoked-pool-host");
        try (FakeAgent agent = new FakeAgent(agents, pool);
                FakeAgent revoked = new FakeAgent(agents, pool)) {
            agent.register(host, unique("refusals-phone"));
            revoked.register(revokedHost, unique("revoked-pool-phone"));
            String agentId = member(pool(pool), host).get("id").toString();
            String revokedId = member(pool(pool), revokedHost).get("id").toString();
            given().delete("/api/v1/agents/" + revokedId).then().statusCode(200);
            String viewer = given().contentType(ContentType.JSON)
                    .body("{\"name\": \"pool-viewer\", \"role\": \"viewer\"}")
                    .post("/api/v1/tokens")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("secret");

            given().get("/api/v1/pools/no-such-pool")
                    .then()
                    .statusCode(404)
                    .body("error", org.hamcrest.Matchers.equalTo("no pool no-such-pool: no enrollment token names it"))
                    .body("field", org.hamcrest.Matchers.nullValue());
            for (String verb : List.of("drain", "undrain")) {
                given().post("/api/v1/agents/a-no-such-agent/" + verb)
                        .then()
                        .statusCode(404)
                        .body("error", org.hamcrest.Matchers.equalTo("no agent a-no-such-agent"))
                        .body("field", org.hamcrest.Matchers.nullValue());
                given().post("/api/v1/agents/" + revokedId + "/" + verb)
                        .then()
                        .statusCode(409)
                        .body("error", org.hamcrest.Matchers.containsString("agent " + revokedId + " was revoked"));
                given().auth()
                        .oauth2(viewer)
                        .post("/api/v1/agents/" + agentId + "/" + verb)
                        .then()
                        .statusCode(403);
            }
            given().auth().oauth2(viewer).get("/api/v1/pools/" + pool).then().statusCode(200);
            given().auth().oauth2(viewer).get("/api/v1/pools").then().statusCode(200);

            assertThat(member(pool(pool), host)).containsEntry("draining", false);
            assertThat(pool(pool).getList("agents.hostName"))
                    .as("a revoked agent leaves its pool")
                    .containsExactly(host);
            assertThat(auditOf(agentId)).isEmpty();
        }
    }

    /** Takes the task of an action on the agent and reports it RUNNING. */
    private static void run(FakeAgent agent, String actionId) {
        assertThat(agent.next(ControlMessage::hasTask).getTask().getActionId()).isEqualTo(actionId);
        agent.send(update(actionId, 1, ActionStatus.RUNNING));
        assertThat(agent.next(ControlMessage::hasAck).getAck().getAccepted()).isTrue();
    }

    private static JsonPath pool(String name) {
        return given().get("/api/v1/pools/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The pool's counts, by name. */
    private static Map<String, Integer> figures(JsonPath view) {
        return Map.of(
                "total",
                view.getInt("total"),
                "live",
                view.getInt("live"),
                "busy",
                view.getInt("busy"),
                "idle",
                view.getInt("idle"),
                "draining",
                view.getInt("draining"),
                "devices",
                view.getInt("devices"),
                "running",
                view.getInt("running"),
                "queued",
                view.getInt("queued"));
    }

    private static Map<String, Object> member(JsonPath view, String hostName) {
        return view.getMap("agents.find { it.hostName == '" + hostName + "' }");
    }

    /** The drains and undrains of an agent in the audit trail, newest first. */
    private static List<String> auditOf(String agentId) {
        return given().get("/api/v1/audit?limit=1000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList(
                        "findAll { it.subject == '" + agentId + "' && it.kind.endsWith('drained') }.kind",
                        String.class);
    }
}
