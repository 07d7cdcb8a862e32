package dev.workcell.agent.connection;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs an action once when nothing was heard for a while: every {@link #heard()} starts the wait again. */
final class SilenceWatch {

    private final Duration timeout;
    private final Runnable onSilence;
    private final ScheduledExecutorService timer;
    private volatile long lastHeard;
    private ScheduledFuture<?> check;
    private boolean stopped;

    SilenceWatch(Duration timeout, ScheduledExecutorService timer, Runnable onSilence) {
        this.timeout = timeout;
        this.timer = timer;
        this.onSilence = onSilence;
    }

    /** Starts waiting. */
    synchronized void start() {
        lastHeard = System.nanoTime();
        schedule(timeout.toNanos());
    }

    void heard() {
        lastHeard = System.nanoTime();
    }

    /** Stops waiting; the action does not run after this. */
    synchronized void stop() {
        stopped = true;
        if (check != null) {
            check.cancel(false);
        }
    }

    private synchronized void check() {
        if (stopped) {
            return;
        }
        long left = timeout.toNanos() - (System.nanoTime() - lastHeard);
        if (left > 0) {
            schedule(left);
            return;
        }
        stopped = true;
        onSilence.run();
    }

    private void schedule(long nanos) {
        if (!stopped) {
            check = timer.schedule(this::check, nanos, TimeUnit.NANOSECONDS);
        }
    }
}
