package dev.workcell.agent.retry;

/** Thrown when every allowed attempt asked for a retry; the cause is the last retry error, if any. */
public class RetriesExhaustedException extends Exception {

    public RetriesExhaustedException(int maxAttempts, TaskRetryError lastRetryError) {
        super("Retried maximum attempts, " + maxAttempts, lastRetryError);
    }
}
