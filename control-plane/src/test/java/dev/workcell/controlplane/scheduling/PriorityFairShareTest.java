package dev.workcell.controlplane.scheduling;

import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.scheduling.Submitters.Submitter;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.GetActionRequest;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.Task;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Which waiting action goes first, against the running control plane, real PostgreSQL and an agent
 * stream over real gRPC that runs one task at a time on one device: priority, aging, and the fair
 * share between two submitters sending at very different rates.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PriorityFairShareTest {

    /** How long the agent "runs" each task: the device time the fair share divides. */
    private static final Duration WORK = Duration.ofMillis(100);

    @GrpcClient("agents")
    AgentService agents;

    @GrpcClient("actions")
    ActionService actions;

    @Inject
    WorkcellConfig config;

    @Inject
    Pool pool;

    @Test
    void aHigherPriorityOvertakesTheActionsWaitingBeforeIt() {
        String target = unique("priority-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("priority-host"), target);
            Task blocker = taskOf(agent, Api.submitShell(target, "echo blocker"));
            List<String> waiting = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiting.add(Api.submit(Submitters.execBody(target, "echo waiting " + i, null)));
            }
            String urgent = Api.submit(Submitters.execBody(target, "echo urgent", 0));

            agent.send(FakeAgent.update(blocker.getActionId(), 1, ActionStatus.SUCCEEDED));
            List<String> order = new ArrayList<>();
            for (int i = 0; i <= waiting.size(); i++) {
                order.add(runNext(agent).getActionId());
            }

            assertThat(order)
                    .containsExactly(
                            urgent, waiting.get(0), waiting.get(1), waiting.get(2), waiting.get(3), waiting.get(4));
            assertThat(Api.action(urgent).getInt("priority")).isZero();
            assertThat(Api.action(waiting.get(0)).getInt("priority"))
                    .as("the default")
                    .isEqualTo(100);
            assertThat(actions.get(GetActionRequest.newBuilder().setId(urgent).build())
                            .await()
                            .atMost(Duration.ofSeconds(5))
                            .hasPriority())
                    .isTrue();
            List<String> all = new ArrayList<>(order);
            all.add(blocker.getActionId());
            LedgerAudit.ofRunningApp().assertConsistent(all);
        }
    }

    @Test
    void aLowPriorityActionRunsWhileHigherPriorityOnesKeepArriving() {
        Submitter patient = Submitters.create("patient", "submitter");
        Submitter eager = Submitters.create("eager", "submitter");
        String target = unique("aging-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("aging-host"), target);
            Task blocker = taskOf(agent, Api.submitShell(target, "echo blocker"));
            String low = patient.submit(target, "echo low", 255);
            List<String> high = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                high.add(eager.submit(target, "echo high " + high.size(), 0));
            }

            agent.send(FakeAgent.update(blocker.getActionId(), 1, ActionStatus.SUCCEEDED));
            int overtaken = 0;
            int highWaitingWhenLowWent = 0;
            while (true) {
                int highWaiting = high.size() - overtaken;
                Task task = runNext(agent);
                if (task.getActionId().equals(low)) {
                    highWaitingWhenLowWent = highWaiting;
                    break;
                }
                assertThat(overtaken)
                        .as("high-priority actions run before the low one")
                        .isLessThan(200);
                overtaken++;
                if (high.size() - overtaken < 3) {
                    for (int i = 0; i < 5; i++) {
                        high.add(eager.submit(target, "echo high " + high.size(), 0));
                    }
                }
            }

            long bound = 255
                            * config.scheduler().priorityStep().toMillis()
                            / config.scheduler().shareUnit().toMillis()
                    + 1;
            System.out.printf(
                    "aging: the priority-255 action ran after %d priority-0 actions (bound %d), %d still waiting%n",
                    overtaken, bound, highWaitingWhenLowWent);
            assertThat(overtaken)
                    .as("priority-0 actions that went first")
                    .isPositive()
                    .isLessThanOrEqualTo((int) bound);
            assertThat(highWaitingWhenLowWent)
                    .as("priority-0 actions still waiting when the low one went")
                    .isPositive();
        }
    }

    @Test
    void twoSubmittersAtNineToOneGetAboutEvenDeviceTimeWhileBothAreBacklogged() {
        Submitter heavy = Submitters.create("heavy", "submitter");
        Submitter light = Submitters.create("light", "submitter");
        String target = unique("shared-phone");
        Map<String, Submitter> submitterOf = new HashMap<>();
        Map<Submitter, Integer> waiting = new HashMap<>(Map.of(heavy, 0, light, 0));
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("shared-host"), target);
            Task blocker = taskOf(agent, Api.submitShell(target, "echo blocker"));
            for (int round = 0; round < 2; round++) {
                submitRound(target, heavy, light, submitterOf, waiting);
            }
            agent.send(FakeAgent.update(blocker.getActionId(), 1, ActionStatus.SUCCEEDED));

            List<String> ran = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (int task = 0; task < 2; task++) {
                    assertThat(waiting.values())
                            .as("both backlogged when the device is claimed")
                            .allMatch(count -> count > 0);
                    String id = runNext(agent).getActionId();
                    Api.awaitStatus(id, "SUCCEEDED"); // recorded before the next submits load the control plane
                    waiting.merge(submitterOf.get(id), -1, Integer::sum);
                    ran.add(id);
                }
                submitRound(target, heavy, light, submitterOf, waiting);
            }

            Map<Submitter, Long> deviceMillis = new HashMap<>(Map.of(heavy, 0L, light, 0L));
            Map<Submitter, Integer> count = new HashMap<>(Map.of(heavy, 0, light, 0));
            for (String id : ran) {
                JsonPath action = Api.awaitStatus(id, "SUCCEEDED");
                deviceMillis.merge(
                        submitterOf.get(id),
                        Duration.between(
                                        Instant.parse(action.getString("startedAt")),
                                        Instant.parse(action.getString("finishedAt")))
                                .toMillis(),
                        Long::sum);
                count.merge(submitterOf.get(id), 1, Integer::sum);
            }
            double ratio = (double) deviceMillis.get(heavy) / deviceMillis.get(light);
            System.out.printf(
                    "fair share at a 9:1 submit ratio: heavy %d actions, %d ms of device time; light %d actions,"
                            + " %d ms; heavy/light device time %.3f%n",
                    count.get(heavy), deviceMillis.get(heavy), count.get(light), deviceMillis.get(light), ratio);
            assertThat(ratio).as("heavy's device time over light's").isBetween(0.9, 1.1);
            LedgerAudit.ofRunningApp().assertConsistent(ran);
        }
    }

    @Test
    void aSubmittersClockMovesForEachSubmitWhileItsEarlierInsertsHaveNotCommitted() {
        Submitter submitter = Submitters.create("unblocked", "submitter");
        String target = unique("clock-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("clock-host"), target);
            SqlConnection blocker = pool.getConnection().await().atMost(Duration.ofSeconds(5));
            try {
                // every insert of an action waits for this transaction: it writes an action_events row
                sql(blocker, "BEGIN");
                sql(blocker, "LOCK TABLE action_events IN EXCLUSIVE MODE");
                CompletableFuture<String> first =
                        CompletableFuture.supplyAsync(() -> submitter.submit(target, "echo 1", null));
                OffsetDateTime afterFirst =
                        await().atMost(Duration.ofSeconds(20)).until(() -> clockOf(submitter), Objects::nonNull);
                CompletableFuture<String> second =
                        CompletableFuture.supplyAsync(() -> submitter.submit(target, "echo 2", null));
                OffsetDateTime afterSecond = await().atMost(Duration.ofSeconds(20))
                        .until(() -> clockOf(submitter), clock -> clock.isAfter(afterFirst));

                assertThat(Duration.between(afterFirst, afterSecond))
                        .as("the clock's move for the second submit")
                        .isEqualTo(config.scheduler().shareUnit());
                assertThat(first).as("the first insert, waiting for the lock").isNotDone();
                sql(blocker, "ROLLBACK");
                List<String> ids = List.of(first.join(), second.join());
                assertThat(Duration.between(queueRankOf(ids.get(0)), queueRankOf(ids.get(1))))
                        .as("the second action's rank after the first's")
                        .isEqualTo(config.scheduler().shareUnit());
            } finally {
                blocker.close().await().atMost(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aSubmitThatFindsItsEquivalentInFlightCostsItsSubmitterNoShare() {
        Submitter submitter = Submitters.create("rerun", "submitter");
        String target = unique("rerun-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("rerun-host"), target);
            String first = submitter.submit(target, "echo same", null);
            OffsetDateTime afterFirst = clockOf(submitter);
            for (int i = 0; i < 3; i++) {
                String again = given().auth()
                        .oauth2(submitter.secret())
                        .contentType(ContentType.JSON)
                        .body(Submitters.execBody(target, "echo same", null))
                        .post("/api/v1/actions")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("action.id");
                assertThat(again).as("the equivalent in flight").isEqualTo(first);
            }

            assertThat(clockOf(submitter))
                    .as("the clock after three submits that created nothing")
                    .isEqualTo(afterFirst);
        }
    }

    @Test
    void aPriorityOutsideZeroTo255IsRefusedAndWritesNothing() {
        String target = unique("bad-priority-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("bad-priority-host"), target);
            String device = Api.deviceId(target);
            for (String priority : List.of("256", "-1", "\"first\"")) {
                JsonPath refused = given().contentType(ContentType.JSON)
                        .body("""
                                {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["true"]}}, "priority": %s}""".formatted(target, priority))
                        .post("/api/v1/actions")
                        .then()
                        .statusCode(400)
                        .extract()
                        .jsonPath();
                assertThat(refused.getString("field")).as(priority).isEqualTo("priority");
                assertThat(refused.getString("error")).as(priority).isNotBlank();
            }
            StatusRuntimeException grpc = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> actions.submit(SubmitActionRequest.newBuilder()
                                    .setOperation(Operation.EXEC)
                                    .setTarget(target)
                                    .setPriority(300)
                                    .setInput(ActionInput.newBuilder()
                                            .setExec(ExecInput.newBuilder().addArgv("true")))
                                    .build())
                            .await()
                            .atMost(Duration.ofSeconds(5)));
            assertThat(grpc.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(grpc.getStatus().getDescription()).contains("priority", "300");

            assertThat(given().queryParam("target", device)
                            .get("/api/v1/actions")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("actions"))
                    .as("actions of the device")
                    .isEmpty();
        }
    }

    /** The submitter's fair-share clock as committed, null before its first submit. */
    private OffsetDateTime clockOf(Submitter submitter) {
        RowSet<Row> rows = pool.preparedQuery("SELECT next_start FROM submitter_shares WHERE submitter = $1")
                .execute(Tuple.of(submitter.id()))
                .await()
                .atMost(Duration.ofSeconds(5));
        return rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime("next_start");
    }

    private OffsetDateTime queueRankOf(String id) {
        return pool.preparedQuery("SELECT queue_rank FROM actions WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getOffsetDateTime("queue_rank");
    }

    private static void sql(SqlConnection connection, String statement) {
        connection.query(statement).execute().await().atMost(Duration.ofSeconds(5));
    }

    /** Nine actions of the heavy submitter, then one of the light one. */
    private static void submitRound(
            String target,
            Submitter heavy,
            Submitter light,
            Map<String, Submitter> submitterOf,
            Map<Submitter, Integer> waiting) {
        for (int i = 0; i < 9; i++) {
            submitterOf.put(heavy.submit(target, "echo heavy " + submitterOf.size(), null), heavy);
        }
        submitterOf.put(light.submit(target, "echo light " + submitterOf.size(), null), light);
        waiting.merge(heavy, 9, Integer::sum);
        waiting.merge(light, 1, Integer::sum);
    }

    /** Takes the device's next task, runs it for WORK and reports it succeeded; the device is then free again. */
    private static Task runNext(FakeAgent agent) {
        Task task = agent.next(ControlMessage::hasTask).getTask();
        agent.send(FakeAgent.update(task.getActionId(), task.getAttempt(), ActionStatus.RUNNING));
        Api.sleep(WORK.toMillis()); // the task's run time on the device, not a wait for something
        agent.send(FakeAgent.update(task.getActionId(), task.getAttempt(), ActionStatus.SUCCEEDED));
        return task;
    }

    private static Task taskOf(FakeAgent agent, String id) {
        Task task = agent.next(ControlMessage::hasTask).getTask();
        assertThat(task.getActionId()).isEqualTo(id);
        return task;
    }
}
