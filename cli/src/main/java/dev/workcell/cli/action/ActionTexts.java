package dev.workcell.cli.action;

import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.output.Times;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import java.time.Duration;
import java.time.Instant;

/** How an action reads in tables and progress lines, and what its end means for the exit code. */
public final class ActionTexts {

    private ActionTexts() {}

    public static boolean terminal(Action action) {
        return terminal(action.getStatus());
    }

    public static boolean terminal(ActionStatus status) {
        return switch (status) {
            case SUCCEEDED, FAILED, CANCELLED, EXPIRED -> true;
            default -> false;
        };
    }

    /** "RUNNING", "FAILED (TASK_FAILED)", "QUEUED (cancel requested)". */
    public static String status(Action action) {
        String status = action.getStatus().name();
        if (action.getStatus() == ActionStatus.FAILED
                && action.getFailure() != FailureClass.FAILURE_CLASS_UNSPECIFIED) {
            return status + " (" + action.getFailure().name() + ")";
        }
        return action.getCancelRequested() && !terminal(action) ? status + " (cancel requested)" : status;
    }

    /** The target's name as its agent described it, else its id. */
    public static String target(Action action) {
        return action.getTargetName().isEmpty() ? action.getTarget() : action.getTargetName();
    }

    public static String host(Action action) {
        return action.getHostName().isEmpty() ? action.getHost() : action.getHostName();
    }

    /** From start (or submit, while queued) to the end (or now). */
    public static Duration elapsed(Action action, Instant now) {
        Instant from =
                Times.instant(Times.isSet(action.getStartedAt()) ? action.getStartedAt() : action.getCreatedAt());
        Instant to = Times.isSet(action.getFinishedAt()) ? Times.instant(action.getFinishedAt()) : now;
        return Duration.between(from, to);
    }

    /**
     * What the action's end means for a script: 0 succeeded, 1 failed, 6 timed out (its attempt ran
     * past its timeout, it expired in the queue, or it is not over yet), 7 cancelled.
     */
    public static int exitCode(Action action) {
        return switch (action.getStatus()) {
            case SUCCEEDED -> ExitCodes.OK;
            case FAILED -> action.getFailure() == FailureClass.TIMED_OUT ? ExitCodes.TIMED_OUT : ExitCodes.FAILED;
            case CANCELLED -> ExitCodes.CANCELLED;
            default -> ExitCodes.TIMED_OUT;
        };
    }
}
