package dev.workcell.agent.retry;

/** Signals that a task failed in a way that asks for another attempt, carrying the reason. */
public class TaskRetryError extends RuntimeException {

    private final String reason;

    public TaskRetryError(String reason) {
        super("Try again: " + reason);
        this.reason = reason;
    }

    /** The text that asked for the retry, whole. */
    public String reason() {
        return reason;
    }
}
