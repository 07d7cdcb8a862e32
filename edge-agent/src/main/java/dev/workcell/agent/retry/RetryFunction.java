package dev.workcell.agent.retry;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Calls a task until it stops asking for a retry, waiting a fixed delay between attempts; the
 * original's RetryFunction, fixed to observe cancellation, to skip the wait after the last attempt
 * and to recognise subclassed or wrapped retry errors.
 */
public final class RetryFunction {

    private final Sleeper sleeper;

    /** A retry function that waits on the clock. */
    public RetryFunction() {
        this(Sleeper.REAL_TIME);
    }

    public RetryFunction(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /**
     * Runs the task up to maxAttempts times in all.
     *
     * @param cancellation completing it (or interrupting the thread) stops the wait at once
     * @return the task's result from the first attempt that did not ask for a retry
     * @throws RetriesExhaustedException after maxAttempts retry errors (at once when maxAttempts <= 0)
     * @throws CancellationException when cancelled while waiting
     * @throws InterruptedException when interrupted while waiting
     * @throws Exception any other error of the task, unchanged, without a retry
     */
    public <T> T run(CompletableFuture<?> cancellation, int maxAttempts, Duration delay, Callable<T> task)
            throws Exception {
        TaskRetryError lastRetryError = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                sleeper.sleep(delay, cancellation);
            }
            try {
                return task.call();
            } catch (Exception error) {
                lastRetryError = retryErrorIn(error).orElseThrow(() -> error);
            }
        }
        throw new RetriesExhaustedException(maxAttempts, lastRetryError);
    }

    private static Optional<TaskRetryError> retryErrorIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TaskRetryError retryError) {
                return Optional.of(retryError);
            }
        }
        return Optional.empty();
    }
}
