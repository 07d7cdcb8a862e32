package dev.workcell.cli.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.cli.ExitCodes;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionTextsTest {

    private static Action action(ActionStatus status, FailureClass failure) {
        return Action.newBuilder().setStatus(status).setFailure(failure).build();
    }

    @Test
    void howAnActionEndedIsItsExitCode() {
        assertThat(ActionTexts.exitCode(action(ActionStatus.SUCCEEDED, FailureClass.FAILURE_CLASS_UNSPECIFIED)))
                .isEqualTo(ExitCodes.OK);
        assertThat(ActionTexts.exitCode(action(ActionStatus.FAILED, FailureClass.TASK_FAILED)))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(ActionTexts.exitCode(action(ActionStatus.FAILED, FailureClass.TIMED_OUT)))
                .isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(ActionTexts.exitCode(action(ActionStatus.EXPIRED, FailureClass.FAILURE_CLASS_UNSPECIFIED)))
                .isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(ActionTexts.exitCode(action(ActionStatus.CANCELLED, FailureClass.FAILURE_CLASS_UNSPECIFIED)))
                .isEqualTo(ExitCodes.CANCELLED);
        assertThat(ActionTexts.exitCode(action(ActionStatus.RUNNING, FailureClass.FAILURE_CLASS_UNSPECIFIED)))
                .as("not over when the wait ended")
                .isEqualTo(ExitCodes.TIMED_OUT);
    }

    @Test
    void severalActionsEndWithTheWorst() {
        assertThat(ExitCodes.worst(ExitCodes.OK, ExitCodes.CANCELLED)).isEqualTo(ExitCodes.CANCELLED);
        assertThat(ExitCodes.worst(ExitCodes.TIMED_OUT, ExitCodes.CANCELLED)).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(ExitCodes.worst(ExitCodes.TIMED_OUT, ExitCodes.FAILED)).isEqualTo(ExitCodes.FAILED);
        assertThat(ExitCodes.worst(ExitCodes.FAILED, ExitCodes.OK)).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void theSummaryCountsDoneAndActiveActionsAndFillsTheBarAsFarAsDone() {
        List<Action> actions = List.of(
                action(ActionStatus.SUCCEEDED, FailureClass.FAILURE_CLASS_UNSPECIFIED),
                action(ActionStatus.FAILED, FailureClass.TASK_FAILED),
                action(ActionStatus.RUNNING, FailureClass.FAILURE_CLASS_UNSPECIFIED),
                action(ActionStatus.QUEUED, FailureClass.FAILURE_CLASS_UNSPECIFIED));

        assertThat(Summary.of(actions)).isEqualTo("2/4 done: 1 succeeded, 1 failed; 1 queued, 1 running");
        assertThat(Summary.bar(actions, 8)).isEqualTo("[####----]");
        assertThat(ActionTexts.status(action(ActionStatus.FAILED, FailureClass.TASK_FAILED)))
                .isEqualTo("FAILED (TASK_FAILED)");
    }
}
