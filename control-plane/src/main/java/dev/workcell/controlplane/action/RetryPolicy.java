package dev.workcell.controlplane.action;

import dev.workcell.controlplane.config.WorkcellConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** When a failed attempt is tried again: exponential backoff from the configured delay, capped, with jitter. */
@ApplicationScoped
public class RetryPolicy {

    private final WorkcellConfig.Retry config;

    @Inject
    public RetryPolicy(WorkcellConfig config) {
        this(config.retry());
    }

    RetryPolicy(WorkcellConfig.Retry config) {
        this.config = config;
    }

    public int maxAttempts() {
        return config.maxAttempts();
    }

    /** Whether a failure of this class is tried again (while attempts remain). */
    public boolean retries(dev.workcell.proto.v1.FailureClass failure) {
        return config.retriedClasses().contains(failure);
    }

    /** Delay before attempt {@code finishedAttempt + 1}. */
    public Duration delayAfter(int finishedAttempt) {
        long base = config.delay().toMillis() << Math.min(finishedAttempt - 1, 20);
        long capped = Math.min(base, config.maxDelay().toMillis());
        long jitter = config.jitter().isZero()
                ? 0
                : ThreadLocalRandom.current().nextLong(config.jitter().toMillis() + 1);
        return Duration.ofMillis(capped + jitter);
    }

    /** What a requeue's event adds for an action by dimensions: its next attempt is not bound to this device. */
    public static String mayMove(dev.workcell.proto.v1.Action action) {
        return action.getSlicesCount() > 0
                ? " (it may move to another matching device than " + action.getTarget() + ")"
                : "";
    }

    /** The original's message once every attempt was used. */
    public static String exhausted(int attempts, String lastCause) {
        return "Retried maximum attempts, " + attempts + ": " + lastCause;
    }
}
