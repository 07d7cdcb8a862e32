package dev.workcell.agent.connection;

import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between connection attempts, with ±20 % jitter: doubling from the initial delay up to the
 * maximum, and back to the start once registered; after the control plane refused the agent (a
 * revoked credential, another host's), the much longer refused delay: asking again soon cannot help.
 */
final class ReconnectBackoff {

    private static final double JITTER = 0.2;
    /** The answers of a control plane that refuses this agent, not of one that cannot be reached. */
    private static final Set<Status.Code> REFUSALS = Set.of(Status.Code.PERMISSION_DENIED, Status.Code.UNAUTHENTICATED);

    private final Duration initial;
    private final Duration max;
    private final Duration refused;
    private Duration next;

    /** A backoff that treats refusals as any other failure. */
    ReconnectBackoff(Duration initial, Duration max) {
        this(initial, max, max);
    }

    ReconnectBackoff(Duration initial, Duration max, Duration refused) {
        this.initial = initial;
        this.max = max;
        this.refused = refused;
        this.next = initial;
    }

    /** Whether the failure is the control plane refusing the agent. */
    static boolean isRefusal(Throwable failure) {
        return REFUSALS.contains(Status.fromThrowable(failure).getCode());
    }

    /** The delay before the next attempt after this failure: the refused delay after a refusal, else {@link #next()}. */
    Duration after(Throwable failure) {
        return isRefusal(failure) ? jittered(refused) : next();
    }

    /** The delay before the next attempt; each call doubles the one after. */
    synchronized Duration next() {
        Duration base = next;
        next = base.multipliedBy(2).compareTo(max) > 0 ? max : base.multipliedBy(2);
        return jittered(base);
    }

    /** Starts again from the initial delay. */
    synchronized void reset() {
        next = initial;
    }

    private static Duration jittered(Duration base) {
        double factor = 1 - JITTER + 2 * JITTER * ThreadLocalRandom.current().nextDouble();
        return Duration.ofNanos((long) (base.toNanos() * factor));
    }
}
