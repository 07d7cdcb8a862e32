package dev.workcell.agent.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryFunctionTest {

    private static final Duration DELAY = Duration.ofMillis(100);

    private final List<Duration> sleeps = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final CompletableFuture<Void> cancellation = new CompletableFuture<>();
    private final RetryFunction retry = new RetryFunction((delay, cancel) -> {
        Sleeper.REAL_TIME.sleep(Duration.ZERO, cancel); // honours cancellation, never waits
        sleeps.add(delay);
    });

    @Test
    void successOnTheFirstCallReturnsAfterOneCallAndNoSleep() throws Exception {
        String result = retry.run(cancellation, 4, DELAY, counted(() -> "done"));

        assertEquals("done", result);
        assertEquals(1, calls.get());
        assertEquals(List.of(), sleeps);
    }

    @Test
    void nonRetryErrorIsRethrownUnchangedAfterOneCall() {
        IllegalStateException failure = new IllegalStateException("disk full");

        Exception thrown = assertThrows(
                Exception.class,
                () -> retry.run(cancellation, 4, DELAY, counted(() -> {
                    throw failure;
                })));

        assertSame(failure, thrown);
        assertEquals(1, calls.get());
        assertEquals(List.of(), sleeps);
    }

    @Test
    void oneRetryErrorThenSuccessTakesTwoCallsAndOneDelay() throws Exception {
        String result = retry.run(cancellation, 4, DELAY, counted(() -> {
            if (calls.get() == 1) {
                throw new TaskRetryError("text file busy");
            }
            return "second time lucky";
        }));

        assertEquals("second time lucky", result);
        assertEquals(2, calls.get());
        assertEquals(List.of(DELAY), sleeps);
    }

    @Test
    void alwaysRetryingGivesUpAfterMaxAttemptsWithoutSleepingAfterTheLast() {
        List<TaskRetryError> thrown = new ArrayList<>();

        RetriesExhaustedException exhausted = assertThrows(
                RetriesExhaustedException.class,
                () -> retry.run(cancellation, 4, DELAY, counted(() -> {
                    TaskRetryError error = new TaskRetryError("busy " + calls.get());
                    thrown.add(error);
                    throw error;
                })));

        assertEquals("Retried maximum attempts, 4", exhausted.getMessage());
        assertSame(thrown.get(3), exhausted.getCause());
        assertEquals(4, calls.get());
        assertEquals(List.of(DELAY, DELAY, DELAY), sleeps);
    }

    @Test
    void zeroMaxAttemptsNeverCallsTheTask() {
        RetriesExhaustedException exhausted = assertThrows(
                RetriesExhaustedException.class, () -> retry.run(cancellation, 0, DELAY, counted(() -> "never")));

        assertEquals("Retried maximum attempts, 0", exhausted.getMessage());
        assertNull(exhausted.getCause());
        assertEquals(0, calls.get());
    }

    @Test
    void negativeMaxAttemptsNeverCallsTheTask() {
        assertThrows(RetriesExhaustedException.class, () -> retry.run(cancellation, -1, DELAY, counted(() -> "never")));
        assertEquals(0, calls.get());
    }

    @Test
    void subclassOfTaskRetryErrorStillCountsAsRetry() throws Exception {
        class BusyError extends TaskRetryError {
            BusyError() {
                super("text file busy");
            }
        }

        String result = retry.run(cancellation, 4, DELAY, counted(() -> {
            if (calls.get() == 1) {
                throw new BusyError();
            }
            return "ok";
        }));

        assertEquals("ok", result);
        assertEquals(2, calls.get());
    }

    @Test
    void wrappedTaskRetryErrorStillCountsAndIsTheCauseWhenExhausted() {
        TaskRetryError inner = new TaskRetryError("Failed to connect to the GAPIS server");

        RetriesExhaustedException exhausted = assertThrows(
                RetriesExhaustedException.class,
                () -> retry.run(cancellation, 2, DELAY, counted(() -> {
                    throw new RuntimeException("gapit failed", inner);
                })));

        assertSame(inner, exhausted.getCause());
        assertEquals(2, calls.get());
    }

    @Test
    void cancellationStopsBeforeTheNextAttempt() {
        assertThrows(
                CancellationException.class,
                () -> retry.run(cancellation, 4, DELAY, counted(() -> {
                    cancellation.complete(null);
                    throw new TaskRetryError("text file busy");
                })));

        assertEquals(1, calls.get());
    }

    @Test
    void cancellationInterruptsALongRealDelayPromptly() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(() -> cancellation.complete(null), 100, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();

            assertThrows(
                    CancellationException.class,
                    () -> new RetryFunction().run(cancellation, 4, Duration.ofHours(1), counted(() -> {
                        throw new TaskRetryError("busy");
                    })));

            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);
            assertEquals(1, calls.get());
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void threadInterruptStopsALongRealDelayPromptly() throws Exception {
        Thread caller = Thread.currentThread();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(caller::interrupt, 100, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();

            assertThrows(
                    InterruptedException.class,
                    () -> new RetryFunction().run(cancellation, 4, Duration.ofHours(1), counted(() -> {
                        throw new TaskRetryError("busy");
                    })));

            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);
        } finally {
            timer.shutdownNow();
            Thread.interrupted();
        }
    }

    private <T> Callable<T> counted(Callable<T> task) {
        return () -> {
            calls.incrementAndGet();
            return task.call();
        };
    }
}
