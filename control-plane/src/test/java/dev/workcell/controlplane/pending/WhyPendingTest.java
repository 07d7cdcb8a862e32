package dev.workcell.controlplane.pending;

import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.ServedOpenApi;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.BusyDevice;
import dev.workcell.proto.v1.GetPendingRequest;
import dev.workcell.proto.v1.PendingReason;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.WhyPending;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * "Why is it pending?" against the running control plane, real PostgreSQL and agent streams over
 * real gRPC: each reason a waiting action can have, the same answer over REST and gRPC, and what a
 * non-waiting or unknown action gets.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WhyPendingTest {

    @GrpcClient("agents")
    AgentService agents;

    @GrpcClient("actions")
    ActionService actions;

    /** The REST answer, checked against its documented schema and read into the contract's message. */
    static WhyPending pending(String id) {
        String json = given().get("/api/v1/actions/" + id + "/pending")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(ServedOpenApi.fetch().check("GET /api/v1/actions/{id}/pending", 200, json))
                .as("against the OpenAPI document")
                .isEmpty();
        WhyPending.Builder why = WhyPending.newBuilder();
        try {
            JsonFormat.parser().merge(json, why);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a WhyPending: " + json, e);
        }
        return why.build();
    }

    WhyPending pendingOverGrpc(String id) {
        return actions.pending(GetPendingRequest.newBuilder().setId(id).build())
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    /** Takes the task of this action and reports it running. */
    static void run(FakeAgent agent, String id) {
        Task task = agent.next(message ->
                        message.hasTask() && message.getTask().getActionId().equals(id))
                .getTask();
        agent.send(FakeAgent.update(id, task.getAttempt(), ActionStatus.RUNNING));
        Api.awaitStatus(id, "RUNNING");
    }

    @Test
    void aBusyDeviceIsNamedWithTheActionItRunsAlikeOverRestAndGrpc() {
        String target = unique("busy-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String device =
                    agent.register(unique("busy-host"), target).getWorkers(0).getTarget();
            String running = submitShell(target, "sleep 60");
            run(agent, running);
            String waiting = submitShell(target, "echo next");

            WhyPending why = pending(waiting);

            assertThat(why.getStatus()).isEqualTo(ActionStatus.QUEUED);
            assertThat(why.getReason()).isEqualTo(PendingReason.DEVICES_BUSY);
            assertThat(why.getQueuePosition()).isEqualTo(1);
            assertThat(why.getSummary()).contains(running);
            assertThat(why.getSlicesList()).singleElement().satisfies(slice -> {
                assertThat(slice.getTarget()).isEqualTo(device);
                assertThat(slice.getMatching()).isEqualTo(1);
                assertThat(slice.getBusy()).isEqualTo(1);
                assertThat(slice.getFree()).isZero();
                assertThat(slice.getBusyDevicesList()).singleElement().satisfies(busy -> {
                    assertThat(busy.getActionId()).isEqualTo(running);
                    assertThat(busy.getDevice()).isEqualTo(device);
                    assertThat(busy.getStatus()).isEqualTo(ActionStatus.RUNNING);
                });
            });
            assertThat(why.hasSliceExpiresAt())
                    .as("the queue deadline of an action by target")
                    .isTrue();
            assertThat(pendingOverGrpc(waiting)).isEqualTo(why);
        }
    }

    @Test
    void aDeviceWithRecentDurationsGivesTheBusyDevicesExpectedEndAndAnExpectedStart() {
        String target = unique("known-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("known-host"), target);
            String earlier = submitShell(target, "echo earlier");
            run(agent, earlier);
            agent.send(FakeAgent.update(earlier, 1, ActionStatus.SUCCEEDED));
            Api.awaitStatus(earlier, "SUCCEEDED");
            String running = submitShell(target, "sleep 60");
            run(agent, running);
            String waiting = submitShell(target, "echo next");

            WhyPending why = pending(waiting);

            BusyDevice busy = why.getSlices(0).getBusyDevices(0);
            assertThat(busy.hasExpectedEnd())
                    .as("from the earlier attempt's duration")
                    .isTrue();
            assertThat(why.hasExpectedStart()).isTrue();
            assertThat(Timestamps.compare(why.getExpectedStart(), busy.getExpectedEnd()))
                    .isGreaterThanOrEqualTo(0);
            assertThat(why.getSummary()).contains(" until about ");
        }
    }

    @Test
    void aSecondWaitingActionIsSecondBehindTheOneThatGoesFirst() {
        String target = unique("queue-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("queue-host"), target);
            String running = submitShell(target, "sleep 60");
            run(agent, running);
            String first = submitShell(target, "echo first");
            String second = submitShell(target, "echo second");

            WhyPending why = pending(second);

            assertThat(why.getReason()).isEqualTo(PendingReason.ACTIONS_AHEAD);
            assertThat(why.getQueuePosition()).isEqualTo(2);
            assertThat(why.getSummary()).startsWith("Queue position 2: 1 waiting action goes first");
            assertThat(pending(first).getQueuePosition()).isEqualTo(1);
            assertThat(pendingOverGrpc(second)).isEqualTo(why);
        }
    }

    @Test
    void aDeviceWhoseAgentWentAwayIsOffline() {
        String target = unique("gone-phone");
        FakeAgent agent = new FakeAgent(agents);
        agent.register(unique("gone-host"), target);
        agent.close();
        String waiting = submitShell(target, "true");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(pending(waiting).getReason()).isEqualTo(PendingReason.DEVICES_OFFLINE));
        WhyPending why = pending(waiting);
        assertThat(why.getSlices(0).getOffline()).isEqualTo(1);
        assertThat(why.getSummary()).isEqualTo("Its device is offline.");
    }

    @Test
    void aQuarantinedDeviceIsNamedAsSuch() {
        String target = unique("sick-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String device =
                    agent.register(unique("sick-host"), target).getWorkers(0).getTarget();
            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"battery swollen\"}")
                    .post("/api/v1/devices/" + device + "/quarantine")
                    .then()
                    .statusCode(200);
            String waiting = submitShell(target, "true");

            WhyPending why = pending(waiting);

            assertThat(why.getReason()).isEqualTo(PendingReason.DEVICES_QUARANTINED);
            assertThat(why.getSlices(0).getQuarantined()).isEqualTo(1);
            assertThat(why.getSummary()).isEqualTo("Its device is in quarantine.");
            given().delete("/api/v1/devices/" + device + "/quarantine").then().statusCode(200);
        }
    }

    @Test
    void anActionWhoseOnlyMatchingDeviceWasRevokedCanNeverRunAndNamesTheDimension() {
        String target = unique("revoked-phone");
        String host = unique("revoked-host");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            String agentId = given().get("/api/v1/agents")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getString("find { it.hostName == '" + host + "' && it.revokedAt == null }.id");
            given().delete("/api/v1/agents/" + agentId).then().statusCode(200);
            String waiting = Api.submit("""
                    {"operation": "EXEC", "dimensions": {"name": "%s"}, "input": {"exec": {"argv": ["true"]}}}""".formatted(target));

            WhyPending why = pending(waiting);

            assertThat(why.getReason()).isEqualTo(PendingReason.NO_MATCHING_DEVICE);
            assertThat(why.getFailingDimension()).isEqualTo("name");
            assertThat(why.getQueuePosition()).isZero();
            assertThat(why.getSlicesList()).singleElement().satisfies(slice -> {
                assertThat(slice.getDimensionsMap()).containsEntry("name", target.toLowerCase());
                assertThat(slice.getMatching()).isZero();
                assertThat(slice.getFailingDimension()).isEqualTo("name");
            });
            assertThat(why.getSummary()).startsWith("It can never run: no device left matches dimension name");
            assertThat(pendingOverGrpc(waiting)).isEqualTo(why);
            given().post("/api/v1/actions/" + waiting + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void anActionThatRunsOrEndedSaysWhatItDoesInstead() {
        String target = unique("done-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("done-host"), target);
            String id = submitShell(target, "true");
            run(agent, id);

            WhyPending running = pending(id);
            assertThat(running.getStatus()).isEqualTo(ActionStatus.RUNNING);
            assertThat(running.getReason()).isEqualTo(PendingReason.NOT_WAITING);
            assertThat(running.getSummary()).startsWith("It does not wait: it runs on device " + target);
            assertThat(running.getSlicesList()).isEmpty();

            agent.send(FakeAgent.update(id, 1, ActionStatus.SUCCEEDED));
            Api.awaitStatus(id, "SUCCEEDED");
            WhyPending ended = pending(id);
            assertThat(ended.getReason()).isEqualTo(PendingReason.NOT_WAITING);
            assertThat(ended.getSummary()).startsWith("It does not wait: it ended SUCCEEDED at ");
            assertThat(pendingOverGrpc(id)).isEqualTo(ended);
        }
    }

    @Test
    void anUnknownActionIsNotFoundNamingTheId() {
        String unknown = "0".repeat(40);
        given().get("/api/v1/actions/" + unknown + "/pending")
                .then()
                .statusCode(404)
                .body("field", org.hamcrest.Matchers.equalTo("id"))
                .body("error", org.hamcrest.Matchers.containsString(unknown));
        given().get("/api/v1/actions/not-an-id/pending")
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("id"));
        StatusRuntimeException notFound =
                catchThrowableOfType(StatusRuntimeException.class, () -> pendingOverGrpc(unknown));
        assertThat(notFound.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }
}
