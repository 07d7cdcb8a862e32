package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static dev.workcell.proto.v1.ActionStatus.FAILED;
import static dev.workcell.proto.v1.ActionStatus.RUNNING;
import static dev.workcell.proto.v1.ActionStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fifty actions over five hand-driven agents whose reports come twice, out of order, for stale
 * attempts and interleaved with re-deliveries of earlier results: each report is acknowledged as
 * recorded or refused as it should be, and the ledger ends with every action finished exactly once.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UnrulyUpdatesTest {

    static final int AGENTS = 5;
    static final int ACTIONS = 50;

    @GrpcClient("agents")
    AgentService agentService;

    /** A report and the acknowledgement it must get: accepted or not, with a reason containing {@code reason}. */
    record Step(TaskUpdate update, boolean accepted, String reason) {

        @Override
        public String toString() {
            return update.getStatus() + " of " + update.getActionId() + " attempt " + update.getAttempt();
        }
    }

    /** What an action must end as. */
    record Outcome(String status, int attempt) {}

    /** One agent and what it sent last, to send again later. */
    static final class Driven {
        final FakeAgent agent;
        int open;
        TaskUpdate lastResult;
        List<Step> script = List.of();

        Driven(FakeAgent agent, int open) {
            this.agent = agent;
            this.open = open;
        }
    }

    @Test
    void everyActionFinishesOnceWhateverOrderAndRepetitionItsReportsComeIn() {
        List<Driven> fleet = new ArrayList<>();
        Map<String, Outcome> expected = new HashMap<>();
        try {
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                FakeAgent agent = new FakeAgent(agentService);
                targets.add(unique("unruly-phone"));
                agent.register(unique("unruly-host"), targets.get(i));
                fleet.add(new Driven(agent, ACTIONS / AGENTS));
            }
            for (int i = 0; i < ACTIONS; i++) {
                submitShell(targets.get(i % AGENTS), "echo " + i);
            }

            int round = 0;
            while (fleet.stream().anyMatch(driven -> driven.open > 0)) {
                for (int i = 0; i < AGENTS; i++) {
                    Driven driven = fleet.get(i);
                    driven.script = driven.open == 0
                            ? List.of()
                            : script(
                                    driven,
                                    driven.agent.next(ControlMessage::hasTask).getTask(),
                                    round + i,
                                    expected);
                }
                sendInterleaved(fleet);
                for (Driven driven : fleet) {
                    for (Step step : driven.script) {
                        UpdateAck ack =
                                driven.agent.next(ControlMessage::hasAck).getAck();
                        assertThat(ack)
                                .as("ack of %s", step)
                                .extracting(
                                        UpdateAck::getActionId,
                                        UpdateAck::getAttempt,
                                        UpdateAck::getStatus,
                                        UpdateAck::getAccepted)
                                .containsExactly(
                                        step.update().getActionId(),
                                        step.update().getAttempt(),
                                        step.update().getStatus(),
                                        step.accepted());
                        assertThat(ack.getReason())
                                .as("reason of the ack of %s", step)
                                .contains(step.reason());
                    }
                }
                round++;
            }
        } finally {
            fleet.forEach(driven -> driven.agent.close());
        }

        assertThat(expected).hasSize(ACTIONS);
        expected.forEach((id, outcome) -> {
            var action = Api.action(id);
            assertThat(new Outcome(action.getString("status"), action.getInt("attempt")))
                    .as(id)
                    .isEqualTo(outcome);
        });
        LedgerAudit.ofRunningApp().assertConsistent(expected.keySet());
    }

    /** Step k of every agent's script, then step k + 1: reports of several actions interleave. */
    private static void sendInterleaved(List<Driven> fleet) {
        int longest =
                fleet.stream().mapToInt(driven -> driven.script.size()).max().orElse(0);
        for (int k = 0; k < longest; k++) {
            for (Driven driven : fleet) {
                if (k < driven.script.size()) {
                    driven.agent.send(driven.script.get(k).update());
                }
            }
        }
    }

    /**
     * The reports about one task: the previous result again, a stale attempt, then one of five
     * unruly ways to report this attempt. Records what the action must end as.
     */
    private static List<Step> script(Driven driven, Task task, int variant, Map<String, Outcome> expected) {
        String id = task.getActionId();
        int attempt = task.getAttempt();
        List<Step> steps = new ArrayList<>();
        if (driven.lastResult != null) {
            steps.add(new Step(driven.lastResult, true, "already recorded"));
        }
        if (attempt > 1) {
            steps.add(new Step(
                    update(id, attempt - 1, SUCCEEDED),
                    false,
                    "attempt " + (attempt - 1) + " is not the current attempt"));
        }
        TaskUpdate running = update(id, attempt, RUNNING);
        TaskUpdate succeeded = update(id, attempt, SUCCEEDED);
        TaskUpdate failed = update(id, attempt, FAILED);
        TaskUpdate result = succeeded;
        switch (attempt > 1 ? 0 : variant % 5) {
            case 0 ->
                steps.addAll(List.of(
                        new Step(running, true, ""),
                        new Step(running, true, "already recorded"),
                        new Step(succeeded, true, ""),
                        new Step(succeeded, true, "already recorded")));
            case 1 ->
                steps.addAll(List.of(
                        new Step(succeeded, true, ""),
                        new Step(running, false, "illegal transition SUCCEEDED -> RUNNING"),
                        new Step(succeeded, true, "already recorded")));
            case 2 -> {
                TaskUpdate busy = failed.toBuilder()
                        .setFailure(FailureClass.RETRYABLE)
                        .setError("text file busy")
                        .build();
                steps.addAll(List.of(
                        new Step(running, true, ""),
                        new Step(busy, true, ""),
                        new Step(busy, false, id),
                        new Step(running, false, id)));
                result = null;
            }
            case 3 -> {
                steps.addAll(List.of(
                        new Step(failed, true, ""),
                        new Step(succeeded, false, "illegal transition FAILED -> SUCCEEDED"),
                        new Step(failed, true, "already recorded")));
                result = failed;
            }
            default ->
                steps.addAll(List.of(
                        new Step(running, true, ""),
                        new Step(succeeded, true, ""),
                        new Step(running, false, "illegal transition SUCCEEDED -> RUNNING"),
                        new Step(succeeded, true, "already recorded")));
        }
        if (result != null) {
            driven.lastResult = result;
            driven.open--;
            expected.put(id, new Outcome(result.getStatus().name(), attempt));
        }
        return steps;
    }
}
