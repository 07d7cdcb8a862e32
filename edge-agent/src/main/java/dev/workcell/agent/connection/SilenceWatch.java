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

    private void check() {
        if (isSilent()) {
            onSilence.run();
        }
    }

    /** Whether the timeout passed without a word (then the watch stops); else waits for what is left of it. */
    private synchronized boolean isSilent() {
        if (stopped) {
            return false;
        }
        long left = timeout.toNanos() - (System.nanoTime() - lastHeard);
        if (left > 0) {
            schedule(left);
            return false;
        }
        stopped = true;
        return true;
    }

    private void schedule(long nanos) {
        if (!stopped) {
            check = timer.schedule(this::check, nanos, TimeUnit.NANOSECONDS);
        }
    }
}
