package dev.workcell.agent.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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

        assertThat(result).isEqualTo("done");
        assertThat(calls.get()).isEqualTo(1);
        assertThat(sleeps).isEqualTo(List.of());
    }

    @Test
    void nonRetryErrorIsRethrownUnchangedAfterOneCall() {
        IllegalStateException failure = new IllegalStateException("disk full");

        Exception thrown = catchThrowableOfType(
                Exception.class,
                () -> retry.run(cancellation, 4, DELAY, counted(() -> {
                    throw failure;
                })));

        assertThat(thrown).isSameAs(failure);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(sleeps).isEqualTo(List.of());
    }

    @Test
    void oneRetryErrorThenSuccessTakesTwoCallsAndOneDelay() throws Exception {
        String result = retry.run(cancellation, 4, DELAY, counted(() -> {
            if (calls.get() == 1) {
                throw new TaskRetryError("text file busy");
            }
            return "second time lucky";
        }));

        assertThat(result).isEqualTo("second time lucky");
        assertThat(calls.get()).isEqualTo(2);
        assertThat(sleeps).isEqualTo(List.of(DELAY));
    }

    @Test
    void alwaysRetryingGivesUpAfterMaxAttemptsWithoutSleepingAfterTheLast() {
        List<TaskRetryError> thrown = new ArrayList<>();

        RetriesExhaustedException exhausted = catchThrowableOfType(
                RetriesExhaustedException.class,
                () -> retry.run(cancellation, 4, DELAY, counted(() -> {
                    TaskRetryError error = new TaskRetryError("busy " + calls.get());
                    thrown.add(error);
                    throw error;
                })));

        assertThat(exhausted.getMessage()).isEqualTo("Retried maximum attempts, 4");
        assertThat(exhausted.getCause()).isSameAs(thrown.get(3));
        assertThat(calls.get()).isEqualTo(4);
        assertThat(sleeps).isEqualTo(List.of(DELAY, DELAY, DELAY));
    }

    @Test
    void zeroMaxAttemptsNeverCallsTheTask() {
        RetriesExhaustedException exhausted = catchThrowableOfType(
                RetriesExhaustedException.class, () -> retry.run(cancellation, 0, DELAY, counted(() -> "never")));

        assertThat(exhausted.getMessage()).isEqualTo("Retried maximum attempts, 0");
        assertThat(exhausted.getCause()).isNull();
        assertThat(calls.get()).isEqualTo(0);
    }

    @Test
    void negativeMaxAttemptsNeverCallsTheTask() {
        assertThatThrownBy(() -> retry.run(cancellation, -1, DELAY, counted(() -> "never")))
                .isInstanceOf(RetriesExhaustedException.class);
        assertThat(calls.get()).isEqualTo(0);
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

        assertThat(result).isEqualTo("ok");
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void wrappedTaskRetryErrorStillCountsAndIsTheCauseWhenExhausted() {
        TaskRetryError inner = new TaskRetryError("Failed to connect to the GAPIS server");

        RetriesExhaustedException exhausted = catchThrowableOfType(
                RetriesExhaustedException.class,
                () -> retry.run(cancellation, 2, DELAY, counted(() -> {
                    throw new RuntimeException("gapit failed", inner);
                })));

        assertThat(exhausted.getCause()).isSameAs(inner);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void cancellationStopsBeforeTheNextAttempt() {
        assertThatThrownBy(() -> retry.run(cancellation, 4, DELAY, counted(() -> {
                    cancellation.complete(null);
                    throw new TaskRetryError("text file busy");
                })))
                .isInstanceOf(CancellationException.class);

        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void cancellationInterruptsALongRealDelayPromptly() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(() -> cancellation.complete(null), 100, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();

            assertThatThrownBy(() -> new RetryFunction().run(cancellation, 4, Duration.ofHours(1), counted(() -> {
                        throw new TaskRetryError("busy");
                    })))
                    .isInstanceOf(CancellationException.class);

            assertThat(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0)
                    .isTrue();
            assertThat(calls.get()).isEqualTo(1);
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

            assertThatThrownBy(() -> new RetryFunction().run(cancellation, 4, Duration.ofHours(1), counted(() -> {
                        throw new TaskRetryError("busy");
                    })))
                    .isInstanceOf(InterruptedException.class);

            assertThat(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0)
                    .isTrue();
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
