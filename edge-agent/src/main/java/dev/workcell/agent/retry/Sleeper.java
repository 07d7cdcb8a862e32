package dev.workcell.agent.retry;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits between attempts, and stops waiting as soon as the cancellation completes. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the clock, woken early by the cancellation or by a thread interrupt. */
    Sleeper REAL_TIME = (delay, cancellation) -> {
        try {
            cancellation.get(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slept) {
            return;
        } catch (ExecutionException | CancellationException cancelled) {
            // a cancellation that completed exceptionally still cancels
        }
        throw new CancellationException("cancelled while waiting to retry");
    };

    /**
     * Waits for the delay.
     *
     * @throws CancellationException when the cancellation completes (or is already complete)
     * @throws InterruptedException when the thread is interrupted
     */
    void sleep(Duration delay, CompletableFuture<?> cancellation) throws InterruptedException;
}
