package dev.workcell.agent.connection;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Delays between connection attempts: doubling from the initial delay up to the maximum, with ±20 % jitter, and back to the start once registered. */
final class ReconnectBackoff {

    private static final double JITTER = 0.2;

    private final Duration initial;
    private final Duration max;
    private Duration next;

    ReconnectBackoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The delay before the next attempt; each call doubles the one after. */
    synchronized Duration next() {
        Duration base = next;
        next = base.multipliedBy(2).compareTo(max) > 0 ? max : base.multipliedBy(2);
        double factor = 1 - JITTER + 2 * JITTER * ThreadLocalRandom.current().nextDouble();
        return Duration.ofNanos((long) (base.toNanos() * factor));
    }

    /** Starts again from the initial delay. */
    synchronized void reset() {
        next = initial;
    }
}
