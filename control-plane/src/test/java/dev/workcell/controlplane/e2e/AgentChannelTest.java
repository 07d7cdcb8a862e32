package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.hello;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static dev.workcell.proto.v1.ActionStatus.RUNNING;
import static dev.workcell.proto.v1.ActionStatus.SUCCEEDED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.UpdateAck;
import dev.workcell.proto.v1.Welcome;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The agent protocol's fencing and reconnection rules, driven over real gRPC by hand-made agents. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AgentChannelTest {

    @GrpcClient("agents")
    AgentService agents;

    Welcome register(FakeAgent agent, String host, String target, HeldAttempt... held) {
        agent.send(hello(host, target, held));
        return agent.next(ControlMessage::hasWelcome).getWelcome();
    }

    /** Registers, submits one action and reports it RUNNING; returns its id. */
    String registerAndRun(FakeAgent agent, String host, String target) {
        register(agent, host, target);
        String id = submitShell(target, "true");
        agent.next(ControlMessage::hasTask);
        agent.send(update(id, 1, RUNNING));
        ackOf(agent);
        return id;
    }

    static UpdateAck ackOf(FakeAgent agent) {
        return agent.next(ControlMessage::hasAck).getAck();
    }

    @Test
    void updatesThatDoNotComeFromTheHolderOfTheCurrentAttemptAreRefused() {
        String target = unique("fence-phone");
        try (FakeAgent holder = new FakeAgent(agents);
                FakeAgent intruder = new FakeAgent(agents)) {
            register(holder, unique("fence-host"), target);
            register(intruder, unique("intruder-host"), unique("intruder-phone"));
            String id = submitShell(target, "true");
            Task task = holder.next(ControlMessage::hasTask).getTask();
            assertThat(task.getActionId()).isEqualTo(id);
            assertThat(task.getAttempt()).isEqualTo(1);
            int eventsBefore = events(id).size();

            intruder.send(update(id, 1, SUCCEEDED));
            assertThat(ackOf(intruder).getReason()).contains("does not hold action " + id);
            holder.send(update(id, 2, SUCCEEDED));
            assertThat(ackOf(holder).getReason()).contains("attempt 2 is not the current attempt 1");
            holder.send(update("0".repeat(40), 1, SUCCEEDED));
            assertThat(ackOf(holder).getReason()).contains("unknown action");
            holder.send(update("", 1, SUCCEEDED));
            assertThat(ackOf(holder).getReason()).contains("is not an action id");
            holder.send(update(id, 1, ActionStatus.QUEUED));
            assertThat(ackOf(holder).getAccepted()).isFalse();

            assertThat(Api.status(id)).isEqualTo("DISPATCHED");
            assertThat(events(id)).hasSize(eventsBefore);
        }
    }

    @Test
    void aResultIsRecordedOnceAndNothingMovesAFinishedAction() {
        String target = unique("once-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            register(agent, unique("once-host"), target);
            String id = submitShell(target, "true");
            agent.next(ControlMessage::hasTask);

            agent.send(update(id, 1, RUNNING));
            assertThat(ackOf(agent).getAccepted()).isTrue();
            agent.send(update(id, 1, SUCCEEDED));
            assertThat(ackOf(agent).getAccepted()).isTrue();
            int eventsAfterSuccess = events(id).size();

            agent.send(update(id, 1, SUCCEEDED));
            UpdateAck duplicate = ackOf(agent);
            agent.send(update(id, 1, RUNNING));
            UpdateAck backwards = ackOf(agent);

            assertThat(duplicate.getAccepted())
                    .as("a re-delivered result is acknowledged")
                    .isTrue();
            assertThat(backwards.getAccepted()).isFalse();
            assertThat(backwards.getReason()).contains("illegal transition SUCCEEDED -> RUNNING");
            assertThat(events(id)).hasSize(eventsAfterSuccess);
            assertThat(Api.status(id)).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void anUpdateBeforeHelloEndsTheStream() {
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.send(update("1".repeat(40), 1, SUCCEEDED));

            Throwable failure = agent.awaitFailure();

            assertThat(failure).isInstanceOf(StatusRuntimeException.class);
            assertThat(((StatusRuntimeException) failure).getStatus().getCode())
                    .isEqualTo(Status.Code.FAILED_PRECONDITION);
        }
    }

    @Test
    void aHelloWithoutAHostIsInvalid() {
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.send(hello("h", "t").toBuilder().clearHost().build());

            Throwable failure = agent.awaitFailure();

            assertThat(((StatusRuntimeException) failure).getStatus().getCode())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(failure.getMessage()).contains("hello.host");
        }
    }

    @Test
    void aHelloWithTooManyLabelsOrANulInANameIsInvalid() {
        String host = unique("labelled-host");
        var labels = new java.util.HashMap<String, String>();
        for (int i = 0; i < 65; i++) {
            labels.put("k" + i, "v");
        }
        var tooMany = hello(host, "t").toBuilder();
        tooMany.getTargetsBuilder(0).getDeviceBuilder().putAllLabels(labels);
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.send(tooMany.build());
            Throwable failure = agent.awaitFailure();
            assertThat(((StatusRuntimeException) failure).getStatus().getCode())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(failure.getMessage()).contains("hello.targets[0].device.labels", "at most 64");
        }
        var nul = hello(host, "t").toBuilder();
        nul.getTargetsBuilder(0).getDeviceBuilder().setName("pho\u0000ne");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.send(nul.build());
            Throwable failure = agent.awaitFailure();
            assertThat(((StatusRuntimeException) failure).getStatus().getCode())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(failure.getMessage()).contains("hello.targets[0].device.name", "NUL");
        }
    }

    @Test
    void anAgentWithNoDeviceYetIsWelcomedWithoutWorkers() {
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.send(
                    hello(unique("bare-host"), "t").toBuilder().clearTargets().build());
            assertThat(agent.next(ControlMessage::hasWelcome).getWelcome().getWorkersList())
                    .isEmpty();
        }
    }

    @Test
    void reRegisteringTheSameHostAndTargetReplacesTheOldWorker() {
        String host = unique("again-host");
        String target = unique("again-phone");
        try (FakeAgent first = new FakeAgent(agents);
                FakeAgent second = new FakeAgent(agents)) {
            Welcome one = register(first, host, target);
            Welcome two = register(second, host, target);

            assertThat(two.getWorkers(0).getId()).isEqualTo(one.getWorkers(0).getId());
            assertThat(first.awaitEnd()).as("the replaced stream is closed").isTrue();
            List<String> workersOfTarget = given().get("/api/v1/workers")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("workers.findAll { it.target == '"
                            + one.getWorkers(0).getTarget() + "' }.id");
            assertThat(workersOfTarget).containsExactly(one.getWorkers(0).getId());

            String id = submitShell(target, "true");
            assertThat(second.next(ControlMessage::hasTask).getTask().getActionId())
                    .isEqualTo(id);
        }
    }

    @Test
    void anAgentThatReconnectsWithinTheGraceResumesItsAttempt() {
        String host = unique("resume-host");
        String target = unique("resume-phone");
        String id;
        try (FakeAgent before = new FakeAgent(agents)) {
            id = registerAndRun(before, host, target);
        }
        try (FakeAgent after = new FakeAgent(agents)) {
            Welcome welcome = register(
                    after,
                    host,
                    target,
                    HeldAttempt.newBuilder()
                            .setActionId(id)
                            .setAttempt(1)
                            .setStatus(SUCCEEDED)
                            .build());
            assertThat(welcome.getResumeList())
                    .extracting(HeldAttempt::getActionId)
                    .containsExactly(id);

            after.send(update(id, 1, SUCCEEDED));
            assertThat(ackOf(after).getAccepted()).isTrue();
        }
        JsonPath done = awaitStatus(id, "SUCCEEDED");
        assertThat(done.getInt("attempt")).isEqualTo(1);
    }

    @Test
    void anAttemptWhoseWorkerStaysAwayIsQueuedAgainAfterTheGrace() {
        String host = unique("gone-host");
        String target = unique("gone-phone");
        String id;
        try (FakeAgent gone = new FakeAgent(agents)) {
            id = registerAndRun(gone, host, target);
        }
        JsonPath requeued = awaitStatus(id, Set.of("QUEUED"), Duration.ofSeconds(40));
        assertThat(requeued.getInt("attempt")).isEqualTo(2);
        assertThat(requeued.getString("failure")).isEqualTo("WORKER_LOST");

        try (FakeAgent back = new FakeAgent(agents)) {
            Welcome welcome = register(
                    back,
                    host,
                    target,
                    HeldAttempt.newBuilder()
                            .setActionId(id)
                            .setAttempt(1)
                            .setStatus(RUNNING)
                            .build());
            assertThat(welcome.getAbandonList())
                    .extracting(HeldAttempt::getActionId)
                    .containsExactly(id);
            Task retry = back.next(ControlMessage::hasTask).getTask();
            assertThat(retry.getAttempt()).isEqualTo(2);
        }
    }

    /** Small REST reads used above. */
    static final class Api {
        static String status(String id) {
            return dev.workcell.controlplane.testing.Api.action(id).getString("status");
        }
    }
}
