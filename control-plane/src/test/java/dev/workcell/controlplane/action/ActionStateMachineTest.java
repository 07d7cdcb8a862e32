package dev.workcell.controlplane.action;

import static dev.workcell.proto.v1.ActionStatus.CANCELLED;
import static dev.workcell.proto.v1.ActionStatus.DISPATCHED;
import static dev.workcell.proto.v1.ActionStatus.FAILED;
import static dev.workcell.proto.v1.ActionStatus.QUEUED;
import static dev.workcell.proto.v1.ActionStatus.RUNNING;
import static dev.workcell.proto.v1.ActionStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.proto.v1.ActionStatus;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActionStateMachineTest {

    @Test
    void theLifecycleMovesForwardThroughDispatchAndRun() {
        assertThat(ActionStateMachine.allows(QUEUED, DISPATCHED)).isTrue();
        assertThat(ActionStateMachine.allows(DISPATCHED, RUNNING)).isTrue();
        assertThat(ActionStateMachine.allows(RUNNING, SUCCEEDED)).isTrue();
        assertThat(ActionStateMachine.allows(RUNNING, FAILED)).isTrue();
        assertThat(ActionStateMachine.allows(RUNNING, CANCELLED)).isTrue();
    }

    @Test
    void aRetryOrALostWorkerPutsTheActionBackInTheQueue() {
        assertThat(ActionStateMachine.allows(RUNNING, QUEUED)).isTrue();
        assertThat(ActionStateMachine.allows(DISPATCHED, QUEUED)).isTrue();
    }

    @Test
    void aFastTaskMayFinishWithoutReportingRunning() {
        assertThat(ActionStateMachine.allows(DISPATCHED, SUCCEEDED)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            value = ActionStatus.class,
            names = {"SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED"})
    void terminalStatesNeverChangeAgain(ActionStatus terminal) {
        assertThat(ActionStateMachine.isTerminal(terminal)).isTrue();
        for (ActionStatus next :
                EnumSet.of(QUEUED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED, ActionStatus.EXPIRED)) {
            assertThat(ActionStateMachine.allows(terminal, next))
                    .as("%s -> %s", terminal, next)
                    .isFalse();
        }
    }

    @Test
    void onlyAQueuedActionExpires() {
        assertThat(ActionStateMachine.allows(QUEUED, ActionStatus.EXPIRED)).isTrue();
        assertThat(ActionStateMachine.allows(RUNNING, ActionStatus.EXPIRED)).isFalse();
    }

    @Test
    void nothingRunsWithoutBeingDispatched() {
        assertThat(ActionStateMachine.allows(QUEUED, RUNNING)).isFalse();
        assertThat(ActionStateMachine.allows(QUEUED, SUCCEEDED)).isFalse();
        assertThat(ActionStateMachine.allows(RUNNING, DISPATCHED)).isFalse();
    }

    @Test
    void anAgentReportsOnlyRunningAndFinalStatuses() {
        assertThat(ActionStateMachine.isAgentReportable(RUNNING)).isTrue();
        assertThat(ActionStateMachine.isAgentReportable(SUCCEEDED)).isTrue();
        assertThat(ActionStateMachine.isAgentReportable(QUEUED)).isFalse();
        assertThat(ActionStateMachine.isAgentReportable(DISPATCHED)).isFalse();
        assertThat(ActionStateMachine.isAgentReportable(ActionStatus.ACTION_STATUS_UNSPECIFIED))
                .isFalse();
        assertThat(ActionStateMachine.isAgentReportable(ActionStatus.EXPIRED))
                .as("only the queue deadline expires an action")
                .isFalse();
    }
}
