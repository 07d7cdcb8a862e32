package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.EnrollRequest;
import dev.workcell.proto.v1.UpdateAck;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Who may do what: enrollment, agent identity and authority, revocation, token lifetimes, audit, and secrets kept out of sight. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccessControlTest {

    /** Every secret these tests create: none may show up in a log, an error or the ledger. */
    private static final List<String> SECRETS = new ArrayList<>();

    private static final java.time.OffsetDateTime STARTED =
            java.time.OffsetDateTime.now().minusSeconds(5);

    @GrpcClient("agents")
    AgentService agents;

    @Inject
    Pool pool;

    @Test
    void aRevokedAgentIsCutOffAtOnceAndCannotComeBack() {
        String host = unique("revoked-host");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, unique("revoked-phone"));
            String agentId = agentIdOf(host);

            given().delete("/api/v1/agents/" + agentId).then().statusCode(200);

            Throwable cut = agent.awaitFailure();
            assertThat(Status.fromThrowable(cut).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(cut).hasMessageContaining("revoked");
        }
        try (FakeAgent again = new FakeAgent(agents)) {
            again.send(FakeAgent.hello(host, unique("revoked-phone")));
            assertThat(Status.fromThrowable(again.awaitFailure()).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        assertThat(auditKinds()).contains("agent.revoked");
    }

    @Test
    void anExpiredOrUsedUpEnrollmentTokenIsRefused() {
        String singleUse = enrollmentToken(false, 60);
        enroll(singleUse, unique("first-host"));
        assertRefused(
                () -> enroll(singleUse, unique("second-host")), Status.Code.PERMISSION_DENIED, "enrollment token");

        String shortLived = enrollmentToken(true, 1);
        Api.sleep(1500);
        assertRefused(() -> enroll(shortLived, unique("late-host")), Status.Code.PERMISSION_DENIED, "expired");

        var created = newEnrollmentToken(true, 60);
        String revoked = created.getString("secret");
        String id = created.getString("token.id");
        given().delete("/api/v1/enrollment-tokens/" + id).then().statusCode(200);
        assertThat(given().get("/api/v1/enrollment-tokens")
                        .then()
                        .extract()
                        .jsonPath()
                        .getString("find { it.id == '" + id + "' }.revokedAt"))
                .isNotNull();
        assertRefused(() -> enroll(revoked, unique("host")), Status.Code.PERMISSION_DENIED, "enrollment token");
        assertThat(auditKinds()).contains("enrollment.refused", "enrollment-token.revoked");
    }

    @Test
    void aSecondAgentClaimingAnEnrolledHostIsRefused() {
        String host = unique("claimed-host");
        String token = enrollmentToken(true, 60);
        enroll(token, host);
        assertRefused(() -> enroll(token, host), Status.Code.FAILED_PRECONDITION, "already enrolled");
        assertThat(auditKinds()).contains("agent.refused");
    }

    @Test
    void anAgentMayRegisterOnlyTheHostItEnrolledFor() {
        String credential = enroll(enrollmentToken(true, 60), unique("honest-host"));
        AgentService asHonest =
                io.quarkus.grpc.GrpcClientUtils.attachHeaders(agents, TestCredentials.headers(credential));
        var failure = new java.util.concurrent.CompletableFuture<Throwable>();
        var outbound = io.smallrye.mutiny.operators.multi.processors.UnicastProcessor.<AgentMessage>create();
        asHonest.connect(outbound).subscribe().with(ignored -> {}, failure::complete);
        outbound.onNext(AgentMessage.newBuilder()
                .setHello(FakeAgent.hello(unique("someone-else"), unique("phone")))
                .build());

        Throwable refused =
                failure.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(Status.fromThrowable(refused).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused).hasMessageContaining("may not register as host");
    }

    @Test
    void anUpdateForAnotherAgentsAttemptIsRefusedAndChangesNothing() {
        String target = unique("owned-phone");
        try (FakeAgent owner = new FakeAgent(agents);
                FakeAgent intruder = new FakeAgent(agents)) {
            owner.register(unique("owner-host"), target);
            intruder.register(unique("intruder-host"), unique("intruder-phone"));
            String id = submitShell(target, "true");
            owner.next(ControlMessage::hasTask);

            intruder.send(update(id, 1, ActionStatus.SUCCEEDED));
            UpdateAck ack = intruder.next(ControlMessage::hasAck).getAck();

            assertThat(ack.getAccepted()).isFalse();
            assertThat(ack.getReason()).contains("does not hold");
            assertThat(Api.action(id).getString("status")).isEqualTo("DISPATCHED");
        }
    }

    @Test
    void aSubmitterCancelsOnlyItsOwnActionsAndTheLedgerNamesWhoDidWhat() {
        String target = unique("shared-phone");
        String alice = clientToken("alice", "submitter");
        String bob = clientToken("bob", "submitter");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("shared-host"), target);
        }
        // Its agent is gone: the action waits, QUEUED, and a cancel ends it at once.
        String id = given().auth()
                .oauth2(alice)
                .contentType(ContentType.JSON)
                .body("{\"operation\": \"EXEC\", \"target\": \"" + target
                        + "\", \"input\": {\"exec\": {\"argv\": [\"true\"]}}}")
                .post("/api/v1/actions")
                .then()
                .statusCode(201)
                .extract()
                .path("action.id");

        given().auth()
                .oauth2(bob)
                .post("/api/v1/actions/" + id + "/cancel")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(alice)
                .post("/api/v1/actions/" + id + "/cancel")
                .then()
                .statusCode(200);

        var events = Api.events(id);
        String aliceId = Api.action(id).getString("submittedBy");
        assertThat(aliceId).startsWith("t-");
        assertThat(events).extracting(event -> event.get("actor")).containsExactly(aliceId, aliceId);
        assertThat(events.get(1).get("reason").toString()).contains("alice");
    }

    @Test
    void revokedAndExpiredClientTokensAreRefused() {
        String viewer = clientToken("short-lived", "viewer", 1);
        given().auth().oauth2(viewer).get("/api/v1/workers").then().statusCode(200);
        Api.sleep(1500);
        given().auth().oauth2(viewer).get("/api/v1/workers").then().statusCode(401);

        String revoked = clientToken("revoked", "viewer");
        String id = given().auth()
                .oauth2(revoked)
                .get("/api/v1/whoami")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        given().delete("/api/v1/tokens/" + id).then().statusCode(200);
        given().auth().oauth2(revoked).get("/api/v1/workers").then().statusCode(401);
        assertThat(auditKinds()).contains("token.created", "token.revoked");
    }

    @Test
    void badRequestsForTokensAreRefusedWithTheFieldAndCreateNothing() {
        long before = given().get("/api/v1/tokens")
                .then()
                .extract()
                .jsonPath()
                .getList("$")
                .size();
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"role\": \"root\"}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("role"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"\", \"role\": \"viewer\"}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("name"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"role\": \"viewer\", \"expiresInSeconds\": -5}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("expiresInSeconds"));
        given().delete("/api/v1/tokens/t-nothing").then().statusCode(404);
        assertThat(given().get("/api/v1/tokens").then().extract().jsonPath().getList("$"))
                .hasSize((int) before);
    }

    /** Runs last in spirit: it reads what every test of the class wrote. */
    @AfterAll
    static void noSecretAppearsInTheLogOrTheLedger() throws Exception {
        Path log = Path.of("target", "control-plane-tests.log");
        String logText = Files.readString(log);
        String ledger = ledgerText();
        assertThat(SECRETS).isNotEmpty();
        for (String secret : SECRETS) {
            assertThat(logText).as("the log").doesNotContain(secret);
            assertThat(ledger).as("the ledger").doesNotContain(secret);
        }
    }

    /** Every row written since this class started, as text (older rows cannot hold its secrets). */
    private static String ledgerText() {
        Pool pool = io.quarkus.arc.Arc.container().instance(Pool.class).get();
        StringBuilder text = new StringBuilder();
        Map<String, String> timeColumns = Map.of(
                "actions",
                "created_at",
                "action_events",
                "at",
                "audit_events",
                "at",
                "api_tokens",
                "created_at",
                "enrollment_tokens",
                "created_at",
                "agents",
                "enrolled_at");
        timeColumns.forEach((table, time) -> pool.preparedQuery(
                        "SELECT t::text AS row FROM " + table + " t WHERE " + time + " >= $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(STARTED))
                .await()
                .atMost(Duration.ofSeconds(60))
                .forEach(row -> text.append(row.getString("row")).append('\n')));
        return text.toString();
    }

    private String agentIdOf(String host) {
        return given().get("/api/v1/agents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("find { it.hostName == '" + host + "' && it.revokedAt == null }.id");
    }

    private static List<String> auditKinds() {
        return given().get("/api/v1/audit?limit=1000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("kind", String.class);
    }

    private static String clientToken(String name, String role) {
        return clientToken(name, role, 0);
    }

    private static String clientToken(String name, String role, int seconds) {
        String secret = given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"role\": \"" + role + "\", \"expiresInSeconds\": " + seconds + "}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");
        SECRETS.add(secret);
        return secret;
    }

    private static String enrollmentToken(boolean reusable, int seconds) {
        return newEnrollmentToken(reusable, seconds).getString("secret");
    }

    private static io.restassured.path.json.JsonPath newEnrollmentToken(boolean reusable, int seconds) {
        var created = given().contentType(ContentType.JSON)
                .body("{\"pool\": \"lab-2\", \"labels\": [\"gpu\"], \"reusable\": " + reusable
                        + ", \"expiresInSeconds\": " + seconds + "}")
                .post("/api/v1/enrollment-tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        SECRETS.add(created.getString("secret"));
        return created;
    }

    private String enroll(String enrollmentToken, String host) {
        String credential = agents.enroll(EnrollRequest.newBuilder()
                        .setEnrollmentToken(enrollmentToken)
                        .setHost(Device.newBuilder().setName(host).setSerial(host))
                        .build())
                .await()
                .atMost(Duration.ofSeconds(10))
                .getCredential();
        SECRETS.add(credential);
        return credential;
    }

    private static void assertRefused(Runnable call, Status.Code code, String why) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, refused -> {
            assertThat(refused.getStatus().getCode()).isEqualTo(code);
            assertThat(refused.getStatus().getDescription()).contains(why);
            SECRETS.forEach(
                    secret -> assertThat(refused.getStatus().getDescription()).doesNotContain(secret));
        });
    }
}
