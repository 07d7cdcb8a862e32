package dev.workcell.controlplane.quarantine;

import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.AppDatabase;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.Management;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Quarantine against the running control plane, real PostgreSQL and agent streams over real gRPC:
 * manual quarantine and release, automatic quarantine from infrastructure failures with probation,
 * TASK_FAILED never counting, refusals that change nothing, and a quarantine committing with its audit row.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class QuarantineTest {

    private static final Duration NO_TASK = Duration.ofMillis(1500);

    @GrpcClient("agents")
    AgentService agents;

    @Test
    void aQuarantinedDeviceGetsNoWorkUntilAnAdminReleasesIt() {
        String target = unique("quarantined-phone");
        String host = unique("quarantine-host");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String device = agent.register(host, target).getWorkers(0).getTarget();

            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"screen cracked\"}")
                    .post("/api/v1/devices/" + device + "/quarantine")
                    .then()
                    .statusCode(200)
                    .body("cause", equalTo("MANUAL"))
                    .body("note", equalTo("screen cracked"));
            String id = submitShell(target, "true");

            assertThat(agent.poll(ControlMessage::hasTask, NO_TASK))
                    .as("a task while quarantined")
                    .isEmpty();
            assertThat(Api.action(id).getString("status")).isEqualTo("QUEUED");
            assertThat(deviceField(device, "quarantined")).isEqualTo(true);
            assertThat(workerField(device, "quarantined")).isEqualTo(true);
            given().get("/api/v1/quarantines")
                    .then()
                    .statusCode(200)
                    .body("quarantines.find { it.device == '" + device + "' }.note", equalTo("screen cracked"));
            assertThat(poolMember(host))
                    .as("the agent in its pool")
                    .containsEntry("devices", 0)
                    .containsEntry("quarantined", 1);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Management.value(
                                    Management.samples(Management.testPort()),
                                    "workcell_devices",
                                    "state=\"quarantined\"")
                            >= 1);

            given().queryParam("note", "screen replaced")
                    .delete("/api/v1/devices/" + device + "/quarantine")
                    .then()
                    .statusCode(200)
                    .body("releaseNote", equalTo("screen replaced"));

            Task task = agent.next(ControlMessage::hasTask).getTask();
            assertThat(task.getActionId()).isEqualTo(id);
            assertThat(deviceField(device, "quarantined"))
                    .as("quarantined (absent in JSON when false)")
                    .isNotEqualTo(true);
            assertThat(poolMember(host)).containsEntry("devices", 1).containsEntry("quarantined", 0);
            agent.send(FakeAgent.update(id, 1, ActionStatus.SUCCEEDED));
            Api.awaitStatus(id, "SUCCEEDED");
            assertThat(Api.auditKindsOf(device)).containsSubsequence("device.released", "device.quarantined");
            LedgerAudit.ofRunningApp().assertConsistent(List.of(id));
        }
    }

    @Test
    void aQuarantineWithAnEndTimeEndsByItself() {
        try (FakeAgent agent = new FakeAgent(agents)) {
            String device = agent.register(unique("until-host"), unique("until-phone"))
                    .getWorkers(0)
                    .getTarget();
            String until = OffsetDateTime.now().plusSeconds(1).toString();

            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"firmware update\", \"until\": \"" + until + "\"}")
                    .post("/api/v1/devices/" + device + "/quarantine")
                    .then()
                    .statusCode(200);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !Boolean.TRUE.equals(deviceField(device, "quarantined")));
            assertThat(Api.auditKindsOf(device)).first().isEqualTo("device.released");
        }
    }

    @Test
    void aDeviceLostThreeTimesIsQuarantinedGetsNoWorkPassesItsProbeAndComesBack() {
        String target = unique("lossy-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String device =
                    agent.register(unique("lossy-host"), target).getWorkers(0).getTarget();
            String lossy = submitShell(target, "echo lossy");
            for (int attempt = 1; attempt <= 3; attempt++) {
                Task task = nextTaskOf(agent, lossy);
                assertThat(task.getAttempt()).isEqualTo(attempt);
                agent.send(deviceLost(task));
            }

            JsonPath quarantine = awaitQuarantine(device);
            assertThat(quarantine.getString("cause")).isEqualTo("AUTOMATIC");
            assertThat(quarantine.getList("evidence.failure", String.class))
                    .containsExactly("DEVICE_LOST", "DEVICE_LOST", "DEVICE_LOST");
            assertThat(quarantine.getList("evidence.action", String.class)).containsOnly(lossy);
            assertThat(quarantine.getList("evidence.attempt", Integer.class)).containsExactly(1, 2, 3);
            assertThat(Api.auditKindsOf(device)).contains("device.quarantined");

            String waiting = submitShell(target, "echo waiting");
            if (Api.action(lossy).getString("status").equals("DISPATCHED")) {
                // Its fourth attempt was claimed before the quarantine began: it fails for good.
                agent.send(deviceLost(nextTaskOf(agent, lossy)));
                Api.awaitStatus(lossy, "FAILED");
            }

            Task probe = agent.next(message -> message.hasTask()
                            && !message.getTask().getActionId().equals(lossy))
                    .getTask();
            assertThat(probe.getActionId())
                    .as("the first task after the quarantine is its probe")
                    .isNotEqualTo(waiting);
            assertThat(probe.getInput().getExec().getArgvList()).containsExactly("true");
            assertThat(Api.action(waiting).getString("status")).isEqualTo("QUEUED");
            agent.send(FakeAgent.update(probe.getActionId(), probe.getAttempt(), ActionStatus.SUCCEEDED));

            Task released = agent.next(message -> message.hasTask()
                            && List.of(lossy, waiting)
                                    .contains(message.getTask().getActionId()))
                    .getTask();
            if (released.getActionId().equals(lossy)) {
                // Still queued for its fourth attempt, it is older than the waiting action and goes first.
                agent.send(FakeAgent.update(lossy, released.getAttempt(), ActionStatus.SUCCEEDED));
                released = nextTaskOf(agent, waiting);
            }
            agent.send(FakeAgent.update(waiting, released.getAttempt(), ActionStatus.SUCCEEDED));
            Api.awaitStatus(waiting, "SUCCEEDED");
            assertThat(deviceField(device, "quarantined")).isNotEqualTo(true);
            assertThat(Api.auditKindsOf(device)).first().isEqualTo("device.released");
            given().get("/api/v1/devices/" + device + "/quarantine").then().statusCode(404);
            LedgerAudit.ofRunningApp().assertConsistent(List.of(lossy, waiting, probe.getActionId()));
        }
    }

    @Test
    void failedTasksNeverQuarantineADevice() {
        String failingTarget = unique("failing-tasks-phone");
        String lossyTarget = unique("lossy-too-phone");
        try (FakeAgent failing = new FakeAgent(agents);
                FakeAgent lossy = new FakeAgent(agents)) {
            String failingDevice = failing.register(unique("failing-tasks-host"), failingTarget)
                    .getWorkers(0)
                    .getTarget();
            String lossyDevice = lossy.register(unique("lossy-too-host"), lossyTarget)
                    .getWorkers(0)
                    .getTarget();
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = submitShell(failingTarget, "exit " + (i + 1));
                failing.send(FakeAgent.update(nextTaskOf(failing, id).getActionId(), 1, ActionStatus.FAILED));
                Api.awaitStatus(id, "FAILED");
                failed.add(id);
            }
            // A device losing three attempts after those failures is quarantined: the sweep saw both devices.
            String lost = submitShell(lossyTarget, "echo lost");
            for (int attempt = 1; attempt <= 3; attempt++) {
                lossy.send(deviceLost(nextTaskOf(lossy, lost)));
            }
            awaitQuarantine(lossyDevice);

            given().get("/api/v1/devices/" + failingDevice + "/quarantine")
                    .then()
                    .statusCode(404);
            String next = submitShell(failingTarget, "true");
            assertThat(nextTaskOf(failing, next).getActionId()).isEqualTo(next);
            failing.send(FakeAgent.update(next, 1, ActionStatus.SUCCEEDED));
            Api.awaitStatus(next, "SUCCEEDED");
            failed.add(next);
            LedgerAudit.ofRunningApp().assertConsistent(failed);
        }
    }

    @Test
    void anAdminNamesADeviceByItsIdOrItsSerialAsASubmitDoes() {
        String serial = unique("serial-named-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String device = agent.register(unique("serial-named-host"), serial)
                    .getWorkers(0)
                    .getTarget();
            assertThat(device).isNotEqualTo(serial);

            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"by serial\"}")
                    .post("/api/v1/devices/" + serial + "/quarantine")
                    .then()
                    .statusCode(200)
                    .body("device", equalTo(device));
            given().get("/api/v1/devices/" + serial + "/quarantine")
                    .then()
                    .statusCode(200)
                    .body("device", equalTo(device));
            assertThat(deviceField(device, "quarantined")).isEqualTo(true);
            given().delete("/api/v1/devices/" + serial + "/quarantine?note=fixed")
                    .then()
                    .statusCode(200)
                    .body("device", equalTo(device));
            given().contentType(ContentType.JSON)
                    .body("{\"labels\": {\"rack\": \"r7\"}}")
                    .put("/api/v1/devices/" + serial + "/labels")
                    .then()
                    .statusCode(200)
                    .body("id", equalTo(device))
                    .body("adminLabels.rack", equalTo("r7"));
            given().post("/api/v1/devices/" + serial + "/approve")
                    .then()
                    .statusCode(200)
                    .body("id", equalTo(device));
            assertThat(Api.auditKindsOf(device))
                    .contains("device.quarantined", "device.released", "device.labelled", "device.approved");
            assertThat(Api.auditKindsOf(serial)).isEmpty();

            String unknown = unique("no-such-serial");
            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"why\"}")
                    .post("/api/v1/devices/" + unknown + "/quarantine")
                    .then()
                    .statusCode(404)
                    .body("error", org.hamcrest.Matchers.containsString(unknown))
                    .body("error", org.hamcrest.Matchers.containsString("id or serial"));
            given().post("/api/v1/devices/" + unknown + "/approve").then().statusCode(404);
            assertThat(Api.auditKindsOf(unknown)).isEmpty();
        }
    }

    @Test
    void onlyAnAdminMayQuarantineOrRelease() {
        try (FakeAgent agent = new FakeAgent(agents)) {
            String device = agent.register(unique("guarded-host"), unique("guarded-phone"))
                    .getWorkers(0)
                    .getTarget();
            for (String role : List.of("viewer", "submitter")) {
                String secret = clientToken(role);
                given().auth()
                        .oauth2(secret)
                        .contentType(ContentType.JSON)
                        .body("{\"note\": \"mine\"}")
                        .post("/api/v1/devices/" + device + "/quarantine")
                        .then()
                        .statusCode(403)
                        .body("error", org.hamcrest.Matchers.notNullValue());
                given().auth()
                        .oauth2(secret)
                        .delete("/api/v1/devices/" + device + "/quarantine")
                        .then()
                        .statusCode(403);
            }
            given().get("/api/v1/devices/" + device + "/quarantine").then().statusCode(404);
            assertThat(Api.auditKindsOf(device)).isEmpty();

            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"admin\"}")
                    .post("/api/v1/devices/" + device + "/quarantine")
                    .then()
                    .statusCode(200);
            given().auth()
                    .oauth2(clientToken("submitter"))
                    .delete("/api/v1/devices/" + device + "/quarantine")
                    .then()
                    .statusCode(403);
            given().get("/api/v1/devices/" + device + "/quarantine")
                    .then()
                    .statusCode(200)
                    .body("note", equalTo("admin"));
        }
    }

    @Test
    void badRequestsAreRefusedNamingTheFieldAndChangeNothing() {
        try (FakeAgent agent = new FakeAgent(agents)) {
            String device = agent.register(unique("refusing-host"), unique("refusing-phone"))
                    .getWorkers(0)
                    .getTarget();
            String path = "/api/v1/devices/" + device + "/quarantine";
            Map<String, String> refused = Map.of(
                    "{}",
                    "note",
                    "{\"note\": \"  \"}",
                    "note",
                    "{\"note\": \"" + "x".repeat(501) + "\"}",
                    "note",
                    "{\"note\": \"why\", \"until\": \"tomorrow\"}",
                    "until",
                    "{\"note\": \"why\", \"until\": \"2001-01-01T00:00:00Z\"}",
                    "until");
            refused.forEach((body, field) -> given().contentType(ContentType.JSON)
                    .body(body)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .body("field", equalTo(field))
                    .body("error", org.hamcrest.Matchers.containsString(field)));
            given().contentType(ContentType.JSON)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .body("field", equalTo("body"));
            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"why\"}")
                    .post("/api/v1/devices/" + "f".repeat(40) + "/quarantine")
                    .then()
                    .statusCode(404)
                    .body("error", org.hamcrest.Matchers.containsString("f".repeat(40)));
            given().delete(path)
                    .then()
                    .statusCode(409)
                    .body("error", org.hamcrest.Matchers.containsString("not in quarantine"));
            given().get(path).then().statusCode(404);
            assertThat(Api.auditKindsOf(device)).isEmpty();

            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"first\"}")
                    .post(path)
                    .then()
                    .statusCode(200);
            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"second\"}")
                    .post(path)
                    .then()
                    .statusCode(409)
                    .body("error", org.hamcrest.Matchers.containsString("already in quarantine"));
            given().get(path).then().statusCode(200).body("note", equalTo("first"));
            assertThat(Api.auditKindsOf(device)).containsExactly("device.quarantined");
        }
    }

    @Test
    void aQuarantineIsNotKeptWhenItsAuditRowCannotBeWritten() throws Exception {
        try (FakeAgent agent = new FakeAgent(agents)) {
            String device = agent.register(unique("atomic-host"), unique("atomic-phone"))
                    .getWorkers(0)
                    .getTarget();
            try (AutoCloseable refused =
                    AppDatabase.refuseAuditRowsOf(device, "refuse_audit_" + device.substring(0, 12))) {
                given().contentType(ContentType.JSON)
                        .body("{\"note\": \"half\"}")
                        .post("/api/v1/devices/" + device + "/quarantine")
                        .then()
                        .statusCode(500);
            }
            assertThat(quarantineRows(device)).isZero();
            assertThat(deviceField(device, "quarantined")).isNotEqualTo(true);

            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"whole\"}")
                    .post("/api/v1/devices/" + device + "/quarantine")
                    .then()
                    .statusCode(200);
            assertThat(quarantineRows(device)).isEqualTo(1);
            assertThat(Api.auditKindsOf(device)).containsExactly("device.quarantined");
        }
    }

    private static Task nextTaskOf(FakeAgent agent, String actionId) {
        return agent.next(message ->
                        message.hasTask() && message.getTask().getActionId().equals(actionId))
                .getTask();
    }

    private static TaskUpdate deviceLost(Task task) {
        return TaskUpdate.newBuilder()
                .setActionId(task.getActionId())
                .setAttempt(task.getAttempt())
                .setStatus(ActionStatus.FAILED)
                .setFailure(FailureClass.DEVICE_LOST)
                .setError("device went offline")
                .build();
    }

    private static JsonPath awaitQuarantine(String device) {
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        given().get("/api/v1/devices/" + device + "/quarantine").statusCode() == 200);
        return given().get("/api/v1/devices/" + device + "/quarantine")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static Object deviceField(String device, String field) {
        return given().get("/api/v1/devices")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .get("devices.find { it.id == '" + device + "' }." + field);
    }

    /** The agent of this host as its pool lists it. */
    private static Map<String, Object> poolMember(String host) {
        return given().get("/api/v1/pools/" + TestCredentials.POOL)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("agents.find { it.hostName == '" + host + "' }");
    }

    private static Object workerField(String device, String field) {
        return given().get("/api/v1/workers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .get("workers.find { it.target == '" + device + "' }." + field);
    }

    private static String clientToken(String role) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\": \"quarantine-" + role + "\", \"role\": \"" + role + "\"}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");
    }

    private static long quarantineRows(String device) throws SQLException {
        return AppDatabase.number("SELECT count(*) FROM quarantines WHERE device_id = ?", device);
    }
}
