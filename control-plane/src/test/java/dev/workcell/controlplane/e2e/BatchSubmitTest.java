package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.AppDatabase;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.SubmitActionResult;
import dev.workcell.proto.v1.SubmitActionsRequest;
import dev.workcell.proto.v1.SubmitActionsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Batch submit over REST and gRPC: one result per item, refused items change nothing, the limit and the role hold. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BatchSubmitTest {

    @GrpcClient("agents")
    AgentService agents;

    @GrpcClient("actions")
    ActionService actions;

    private static String exec(String target, String word, String extra) {
        return """
                {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["echo", "%s"]}}%s}""".formatted(target, word, extra);
    }

    /** Posts to the path as written: rest-assured would otherwise send its colon as %3A, which no route serves. */
    private static JsonPath postBatch(List<String> items, int status) {
        return given().urlEncodingEnabled(false)
                .contentType(ContentType.JSON)
                .body("{\"items\": [" + String.join(", ", items) + "]}")
                .when()
                .post("/api/v1/actions:batch")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    private static long actionsOf(String target) throws Exception {
        return AppDatabase.number("SELECT count(*) FROM actions WHERE target_id = ?", Api.deviceId(target));
    }

    @Test
    void eachItemOfAMixedBatchGetsItsOwnResultAndTheRefusedOnesWriteNothing() throws Exception {
        String target = unique("batch-phone");
        String key = "k-" + target;
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("batch-host"), target);
            String keyed = Api.submit(exec(target, "keyed", ", \"idempotencyKey\": \"" + key + "\""));

            JsonPath results = postBatch(
                    List.of(
                            exec(target, "new", ""),
                            exec(target, "new", ""),
                            exec(target, "keyed", ", \"idempotencyKey\": \"" + key + "\""),
                            """
                            {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": []}}}""".formatted(target),
                            exec(unique("never-registered"), "lost", ""),
                            exec(target, "other", ", \"idempotencyKey\": \"" + key + "\""),
                            exec(target, "second", "")),
                    200);

            assertThat(results.getList("results")).hasSize(7);
            String created = results.getString("results[0].created.id");
            assertThat(created).isNotNull().isNotEqualTo(keyed);
            assertThat(results.getString("results[1].existing.id"))
                    .as("a duplicate within the batch")
                    .isEqualTo(created);
            assertThat(results.getString("results[2].existing.id"))
                    .as("an idempotent repeat")
                    .isEqualTo(keyed);
            assertThat(results.getMap("results[3].refused"))
                    .containsEntry("field", "items[3].input.exec.argv")
                    .containsEntry("status", 400)
                    .containsEntry("code", "INVALID_ARGUMENT");
            assertThat(results.getMap("results[4].refused"))
                    .containsEntry("field", "items[4]")
                    .containsEntry("status", 404)
                    .containsEntry("code", "NOT_FOUND");
            assertThat(results.getString("results[4].refused.error")).contains("no worker for device");
            assertThat(results.getMap("results[5].refused"))
                    .containsEntry("field", "items[5].idempotency_key")
                    .containsEntry("status", 409)
                    .containsEntry("code", "ALREADY_EXISTS");
            assertThat(results.getString("results[6].created.id")).isNotNull().isNotIn(created, keyed);
            assertThat(actionsOf(target))
                    .as("the keyed action and the two created ones, nothing for the refused items")
                    .isEqualTo(3);
            assertThat(agent.next(ControlMessage::hasTask).getTask().getActionId())
                    .as("the queue is dispatched")
                    .isEqualTo(keyed);
        }
    }

    @Test
    void aBatchOverTheLimitIsRefusedWholeAndWritesNothing() throws Exception {
        String target = unique("limit-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("limit-host"), target);
            List<String> items = IntStream.range(0, 1001)
                    .mapToObj(i -> exec(target, "n" + i, ""))
                    .toList();

            JsonPath refusal = postBatch(items, 400);

            assertThat(refusal.getString("field")).isEqualTo("items");
            assertThat(refusal.getString("error")).contains("at most 1000 items");
            assertThat(actionsOf(target)).isZero();
            StatusRuntimeException grpc = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> actions.submitBatch(SubmitActionsRequest.newBuilder()
                                    .addAllItems(IntStream.range(0, 1001)
                                            .mapToObj(i -> execRequest(target, "g" + i))
                                            .toList())
                                    .build())
                            .await()
                            .atMost(Duration.ofSeconds(30)));
            assertThat(grpc.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(actionsOf(target)).isZero();
            postBatch(List.of(), 400);
        }
    }

    @Test
    void aViewerMayNotSubmitABatch() {
        String viewer = given().contentType(ContentType.JSON)
                .body("{\"name\": \"batch-viewer\", \"role\": \"viewer\"}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");

        given().urlEncodingEnabled(false)
                .auth()
                .oauth2(viewer)
                .contentType(ContentType.JSON)
                .body("{\"items\": [" + exec("any-phone", "x", "") + "]}")
                .when()
                .post("/api/v1/actions:batch")
                .then()
                .statusCode(403)
                .extract()
                .path("error");
    }

    @Test
    void restAndGrpcGiveTheSameResultsForTheSameItems() {
        String target = unique("twin-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("twin-host"), target);
            List<SubmitActionRequest> items = List.of(
                    execRequest(target, "one"),
                    execRequest(target, "two"),
                    SubmitActionRequest.newBuilder()
                            .setOperation(Operation.EXEC)
                            .setTarget(target)
                            .build(),
                    execRequest(unique("nowhere"), "three"));

            SubmitActionsResponse grpc = actions.submitBatch(
                            SubmitActionsRequest.newBuilder().addAllItems(items).build())
                    .await()
                    .atMost(Duration.ofSeconds(30));
            JsonPath rest = postBatch(
                    List.of(
                            exec(target, "one", ""),
                            exec(target, "two", ""),
                            "{\"operation\": \"EXEC\", \"target\": \"" + target + "\"}",
                            exec(items.get(3).getTarget(), "three", "")),
                    200);

            assertThat(grpc.getResultsList())
                    .extracting(SubmitActionResult::getOutcomeCase)
                    .containsExactly(
                            SubmitActionResult.OutcomeCase.CREATED, SubmitActionResult.OutcomeCase.CREATED,
                            SubmitActionResult.OutcomeCase.REFUSED, SubmitActionResult.OutcomeCase.REFUSED);
            assertThat(rest.getList("results.existing.id", String.class).subList(0, 2))
                    .as("REST finds what gRPC created")
                    .containsExactly(
                            grpc.getResults(0).getCreated().getId(),
                            grpc.getResults(1).getCreated().getId());
            for (int i = 2; i < 4; i++) {
                Map<String, Object> refused = rest.getMap("results[" + i + "].refused");
                assertThat(refused)
                        .containsEntry("error", grpc.getResults(i).getRefused().getError())
                        .containsEntry("field", grpc.getResults(i).getRefused().getField())
                        .containsEntry("status", grpc.getResults(i).getRefused().getStatus())
                        .containsEntry("code", grpc.getResults(i).getRefused().getCode());
            }
            assertThat(grpc.getResults(2).getRefused().getField()).isEqualTo("items[2].input");
        }
    }

    private static SubmitActionRequest execRequest(String target, String word) {
        return SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC)
                .setTarget(target)
                .setInput(ActionInput.newBuilder()
                        .setExec(ExecInput.newBuilder().addArgv("echo").addArgv(word)))
                .build();
    }
}
