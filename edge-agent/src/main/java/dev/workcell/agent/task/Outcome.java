package dev.workcell.agent.task;

import dev.workcell.agent.retry.NeedsRetry;
import dev.workcell.agent.retry.TaskRetryError;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.TaskUpdate;
import java.util.List;
import java.util.Optional;

/** How an attempt ended: its final status, failure class, error and output. */
public record Outcome(ActionStatus status, FailureClass failure, String error, ActionOutput output) {

    /** Error of an attempt stopped by a CancelTask. */
    public static final String CANCELLED_BY_REQUEST = "cancelled by request";

    /** The agent could not run the task; the error says what. */
    public static Outcome agentError(String error) {
        return failed(
                FailureClass.AGENT_ERROR,
                error,
                ActionOutput.newBuilder().setExitCode(-1).build());
    }

    public static Outcome failed(FailureClass failure, String error, ActionOutput output) {
        return new Outcome(ActionStatus.FAILED, failure, error, output);
    }

    public static Outcome cancelled(String error, ActionOutput output) {
        return new Outcome(ActionStatus.CANCELLED, FailureClass.FAILURE_CLASS_UNSPECIFIED, error, output);
    }

    /**
     * Judges a process that exited by itself: exit 0 succeeded; otherwise RETRYABLE when its output
     * asks for a retry, else TASK_FAILED with the exit code and the last line of stderr.
     */
    public static Outcome ofExit(ActionOutput output, List<String> retryStrings) {
        if (output.getExitCode() == 0) {
            return new Outcome(ActionStatus.SUCCEEDED, FailureClass.FAILURE_CLASS_UNSPECIFIED, "", output);
        }
        return retryError(output.getStdoutTail() + "\n" + output.getStderrTail(), retryStrings.toArray(String[]::new))
                .map(retry -> failed(FailureClass.RETRYABLE, retry.getMessage(), output))
                .orElseGet(() -> failed(FailureClass.TASK_FAILED, exitError(output), output));
    }

    /** The retry error of the first output line that asks for a retry, or of the whole output. */
    private static Optional<TaskRetryError> retryError(String text, String... retryStrings) {
        return NeedsRetry.check(text, retryStrings)
                .map(whole -> text.lines()
                        .flatMap(line -> NeedsRetry.check(line, retryStrings).stream())
                        .findFirst()
                        .orElse(whole));
    }

    private static String exitError(ActionOutput output) {
        String error = "exit code " + output.getExitCode();
        String lastLine = output.getStderrTail()
                .strip()
                .lines()
                .reduce((first, second) -> second)
                .orElse("");
        return lastLine.isEmpty() ? error : error + ": " + lastLine.strip();
    }

    /** The final update that reports this outcome for the attempt. */
    public TaskUpdate toUpdate(AttemptKey key) {
        return TaskUpdate.newBuilder()
                .setActionId(key.actionId())
                .setAttempt(key.attempt())
                .setStatus(status)
                .setOutput(output)
                .setError(error)
                .setFailure(failure)
                .build();
    }
}
