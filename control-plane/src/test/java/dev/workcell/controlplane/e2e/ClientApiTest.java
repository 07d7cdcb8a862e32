package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.hello;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.SseLines;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.WatchActionsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Submit, dedup, list, watch and cancel as a client sees them; agents are hand-driven streams. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ClientApiTest {

    @GrpcClient("agents")
    AgentService agents;

    @GrpcClient("actions")
    ActionService actions;

    static String execBody(String target, String word, String extra) {
        return """
                {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["echo", "%s"]}}%s}""".formatted(target, word, extra);
    }

    static JsonPath post(String body, int status) {
        return given().contentType("application/json")
                .body(body)
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    @Test
    void anOfflineTargetGetsAQueuedActionThatIsPushedWhenItsWorkerComesBack() {
        String host = unique("offline-host");
        String target = unique("offline-phone");
        String workerId;
        try (FakeAgent once = new FakeAgent(agents)) {
            workerId = once.send(hello(host, target))
                    .next(ControlMessage::hasWelcome)
                    .getWelcome()
                    .getWorkers(0)
                    .getId();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !given().get("/api/v1/workers")
                        .then()
                        .extract()
                        .jsonPath()
                        .getBoolean("workers.find { it.id == '" + workerId + "' }.live"));

        String id = submitShell(target, "true");
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> Api.action(id).getString("status"), "QUEUED"::equals);

        try (FakeAgent back = new FakeAgent(agents)) {
            back.send(hello(host, target));
            Task task = back.next(ControlMessage::hasTask).getTask();
            assertThat(task.getActionId()).isEqualTo(id);
        }
    }

    @Test
    void aSucceededEquivalentIsReturnedUnlessForcedAndAKeyAlwaysReturnsItsAction() {
        String host = unique("dedup-host");
        String target = unique("dedup-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            String first = post(execBody(target, "x", ", \"idempotencyKey\": \"k-" + target + "\""), 201)
                    .getString("action.id");
            Task task = agent.next(ControlMessage::hasTask).getTask();
            agent.send(update(task.getActionId(), 1, ActionStatus.SUCCEEDED));
            awaitStatus(first, "SUCCEEDED");

            JsonPath again = post(execBody(target, "x", ""), 200);
            JsonPath sameKey = post(execBody(target, "x", ", \"idempotencyKey\": \"k-" + target + "\""), 200);
            JsonPath forced = post(execBody(target, "x", ", \"force\": true"), 201);

            assertThat(again.getString("action.id")).isEqualTo(first);
            assertThat(again.getBoolean("created")).isFalse();
            assertThat(sameKey.getString("action.id")).isEqualTo(first);
            assertThat(sameKey.getBoolean("created")).isFalse();
            assertThat(forced.getString("action.id")).isNotEqualTo(first);
        }
    }

    @Test
    void aKeySentAgainWithAnotherRequestIsAConflictNamingTheKeyAndWritesNothing() {
        String host = unique("key-host");
        String target = unique("key-phone");
        String key = "k-" + target;
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            String first = post(execBody(target, "x", ", \"idempotencyKey\": \"" + key + "\""), 201)
                    .getString("action.id");
            String targetId = Api.action(first).getString("target");
            long rows = listed(targetId);

            JsonPath conflict = post(execBody(target, "other words", ", \"idempotencyKey\": \"" + key + "\""), 409);
            StatusRuntimeException grpcConflict = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> actions.submit(SubmitActionRequest.newBuilder()
                                    .setOperation(Operation.EXEC)
                                    .setTarget(target)
                                    .setIdempotencyKey(key)
                                    .setInput(ActionInput.newBuilder()
                                            .setExec(ExecInput.newBuilder()
                                                    .addArgv("echo")
                                                    .addArgv("y")))
                                    .build())
                            .await()
                            .atMost(Duration.ofSeconds(5)));
            JsonPath same = post(execBody(target, "x", ", \"idempotencyKey\": \"" + key + "\""), 200);

            assertThat(conflict.getString("field")).isEqualTo("idempotency_key");
            assertThat(conflict.getString("error")).contains(key, first, "different request", "another input");
            assertThat(grpcConflict.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(grpcConflict.getStatus().getDescription()).contains(key, "different request");
            assertThat(same.getString("action.id")).isEqualTo(first);
            assertThat(listed(targetId)).as("actions of the target").isEqualTo(rows);
        }
    }

    @Test
    void enumValuesAreAcceptedInAnyCaseAndAnsweredInUpperCase() {
        String host = unique("case-host");
        String target = unique("case-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            JsonPath created = post("""
                    {"operation": "exec", "target": "%s", "input": {"exec": {"argv": ["echo", "case"]}}}""".formatted(target), 201);

            JsonPath listed = given().queryParam("operation", "Exec")
                    .queryParam("status", "queued,Dispatched")
                    .queryParam("target", created.getString("action.target"))
                    .when()
                    .get("/api/v1/actions")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();

            assertThat(created.getString("action.operation")).isEqualTo("EXEC");
            assertThat(listed.getList("actions.id", String.class)).containsExactly(created.getString("action.id"));
            assertThat(listed.getString("actions[0].operation")).isEqualTo("EXEC");
        }
    }

    @Test
    void tokenRolesAreAcceptedInAnyCaseAndAnsweredInLowerCase() {
        String secret = given().contentType("application/json")
                .body("{\"name\": \"case-viewer\", \"role\": \"Viewer\"}")
                .when()
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");

        assertThat(given().auth()
                        .oauth2(secret)
                        .get("/api/v1/whoami")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("roles", String.class))
                .containsExactly("viewer");
    }

    private static long listed(String targetId) {
        return given().queryParam("target", targetId)
                .queryParam("pageSize", 500)
                .when()
                .get("/api/v1/actions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("actions")
                .size();
    }

    @Test
    void listingFiltersAndPagesNewestFirst() {
        String host = unique("list-host");
        String target = unique("list-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            List<String> ids = List.of(
                    submitShell(target, "echo 1"), submitShell(target, "echo 2"), submitShell(target, "echo 3"));
            String targetId = Api.action(ids.get(0)).getString("target");

            JsonPath page1 = given().queryParam("target", targetId)
                    .queryParam("pageSize", 2)
                    .get("/api/v1/actions")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            JsonPath page2 = given().queryParam("target", targetId)
                    .queryParam("pageSize", 2)
                    .queryParam("pageToken", page1.getString("nextPageToken"))
                    .get("/api/v1/actions")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> queued = given().queryParam("target", targetId)
                    .queryParam("status", "QUEUED")
                    .get("/api/v1/actions")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("actions.id");

            assertThat(page1.getList("actions.id", String.class)).containsExactly(ids.get(2), ids.get(1));
            assertThat(page2.getList("actions.id", String.class)).containsExactly(ids.get(0));
            assertThat(page2.getString("nextPageToken")).isEmpty();
            assertThat(queued).containsExactlyInAnyOrder(ids.get(1), ids.get(2));
        }
    }

    @Test
    void actionsAndWorkersShowDeviceNamesAndListAndWatchFiltersTakeAnIdSerialOrName() {
        String host = unique("named-host");
        String serial = unique("SN");
        String name = unique("Pixel 7");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.send(Hello.newBuilder()
                            .setHost(Device.newBuilder().setName(host).setSerial(host))
                            .addTargets(TargetDevice.newBuilder()
                                    .setDevice(Device.newBuilder().setName(name).setSerial(serial))
                                    .addOperations(Operation.EXEC))
                            .setAgentVersion("fake")
                            .build())
                    .next(ControlMessage::hasWelcome);
            String resumeToken = given().get("/api/v1/actions?pageSize=1")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("resumeToken");
            String id = submitShell(serial, "echo named");
            JsonPath action = Api.action(id);

            assertThat(action.getString("targetName")).isEqualTo(name);
            assertThat(action.getString("hostName")).isEqualTo(host);
            for (String form : List.of(action.getString("target"), serial, name)) {
                assertThat(given().queryParam("target", form)
                                .queryParam("host", host)
                                .get("/api/v1/actions")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("actions.id"))
                        .as("actions listed with target=%s", form)
                        .containsExactly(id);
                assertThat(actions.watch(WatchActionsRequest.newBuilder()
                                        .setTarget(form)
                                        .setHost(host)
                                        .setResumeToken(resumeToken)
                                        .build())
                                .select()
                                .first()
                                .toUni()
                                .await()
                                .atMost(Duration.ofSeconds(10))
                                .getId())
                        .as("first action watched with target=%s", form)
                        .isEqualTo(id);
            }
            List<Map<String, Object>> workers = given().get("/api/v1/workers")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("workers.findAll { it.target == '%s' }".formatted(action.getString("target")));
            assertThat(workers).singleElement().satisfies(worker -> {
                assertThat(worker).containsEntry("targetName", name).containsEntry("hostName", host);
            });
        }
    }

    @Test
    void cancellingAQueuedActionIsImmediateAndCancellingAFinishedOneIsAConflict() {
        String host = unique("cancel-host");
        String target = unique("cancel-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            String running = submitShell(target, "sleep 100");
            String queued = submitShell(target, "echo later");
            agent.next(ControlMessage::hasTask);

            given().post("/api/v1/actions/" + queued + "/cancel").then().statusCode(200);
            assertThat(Api.action(queued).getString("status")).isEqualTo("CANCELLED");

            given().post("/api/v1/actions/" + running + "/cancel").then().statusCode(200);
            assertThat(agent.next(ControlMessage::hasCancel).getCancel().getActionId())
                    .isEqualTo(running);
            agent.send(update(running, 1, ActionStatus.CANCELLED));
            awaitStatus(running, "CANCELLED");

            String done = submitShell(target, "echo done");
            agent.next(ControlMessage::hasTask);
            agent.send(update(done, 1, ActionStatus.SUCCEEDED));
            awaitStatus(done, "SUCCEEDED");
            given().post("/api/v1/actions/" + done + "/cancel").then().statusCode(409);
        }
    }

    @Test
    void grpcWatchStreamsEveryTransitionOfMatchingActions() throws Exception {
        String host = unique("watch-host");
        String target = unique("watch-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            String probe = submitShell(target, "echo probe");
            String targetId = Api.action(probe).getString("target");
            BlockingQueue<Action> seen = new LinkedBlockingQueue<>();
            var watch = actions.watch(
                            WatchActionsRequest.newBuilder().setTarget(targetId).build())
                    .subscribe()
                    .with(seen::add);
            try {
                Api.sleep(200);
                agent.next(ControlMessage::hasTask);
                agent.send(update(probe, 1, ActionStatus.RUNNING));
                agent.send(update(probe, 1, ActionStatus.SUCCEEDED));

                assertThat(seen.poll(10, TimeUnit.SECONDS).getStatus()).isEqualTo(ActionStatus.RUNNING);
                assertThat(seen.poll(10, TimeUnit.SECONDS).getStatus()).isEqualTo(ActionStatus.SUCCEEDED);
            } finally {
                watch.cancel();
            }
        }
    }

    @Test
    void serverSentEventsCarryEachChangeAsJson() throws Exception {
        String host = unique("sse-host");
        String target = unique("sse-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            // Watching from a listing's token: the change is delivered however late the stream subscribes.
            String token = given().queryParam("status", "SUCCEEDED")
                    .get("/api/v1/actions")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("resumeToken");
            try (SseLines lines = new SseLines("/api/v1/actions/watch?status=SUCCEEDED&resumeToken=" + token)) {
                String id = submitShell(target, "echo sse");
                agent.next(ControlMessage::hasTask);
                agent.send(update(id, 1, ActionStatus.SUCCEEDED));

                assertThat(lines.nextContaining(id, Duration.ofSeconds(10))).contains("\"status\":\"SUCCEEDED\"");
            }
        }
    }

    @Test
    void anActionThatWaitsPastItsQueueDeadlineExpires() {
        String host = unique("expire-host");
        String target = unique("expire-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            submitShell(target, "sleep 100");
            agent.next(ControlMessage::hasTask);
            String waiting = post("""
                    {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["echo", "late"]}}, "queueTimeoutSeconds": 1}""".formatted(target), 201).getString("action.id");

            JsonPath expired = awaitStatus(waiting, "EXPIRED");

            assertThat(expired.getString("error")).contains("past its deadline");
            assertThat(Api.events(waiting)).extracting(event -> event.get("to")).containsExactly("QUEUED", "EXPIRED");
        }
    }

    @Test
    void anAttemptPastItsExecutionTimeoutFailsTimedOutAndIsStoppedOnTheAgent() {
        String host = unique("slow-host");
        String target = unique("slow-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            String id = post("""
                    {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["sleep", "100"]}}, "executionTimeoutSeconds": 1}""".formatted(target), 201).getString("action.id");
            agent.next(ControlMessage::hasTask);
            agent.send(update(id, 1, ActionStatus.RUNNING));

            JsonPath failed = awaitStatus(id, "FAILED");

            assertThat(failed.getString("failure")).isEqualTo("TIMED_OUT");
            assertThat(failed.getString("error")).contains("execution timeout of 1 s");
            assertThat(agent.next(ControlMessage::hasCancel).getCancel().getActionId())
                    .isEqualTo(id);
        }
    }

    @Test
    void devicesAndWorkersAreListedWithTheirLiveState() {
        String host = unique("fleet-host");
        String target = unique("fleet-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String workerId = agent.register(host, target).getWorkers(0).getId();

            List<String> serials = given().get("/api/v1/devices")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("devices.serial");
            JsonPath workers = given().get("/api/v1/workers")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();

            assertThat(serials).contains(host, target);
            assertThat(workers.getBoolean("workers.find { it.id == '" + workerId + "' }.live"))
                    .isTrue();
        }
    }
}
