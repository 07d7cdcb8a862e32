package dev.workcell.controlplane.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the control plane, under {@code workcell.*}. */
@ConfigMapping(prefix = "workcell")
public interface WorkcellConfig {

    Retry retry();

    Lease lease();

    Limits limits();

    /** Action-level retry of RETRYABLE failures. */
    interface Retry {
        /** Total attempts, the first included. */
        @WithDefault("4")
        int maxAttempts();

        /** Delay before the second attempt; doubles for each later one. */
        @WithDefault("200ms")
        Duration delay();

        @WithDefault("30s")
        Duration maxDelay();

        /** Random extra delay, up to this much. */
        @WithDefault("100ms")
        Duration jitter();
    }

    /** How long a disconnected worker keeps its attempts. */
    interface Lease {
        @WithDefault("30s")
        Duration grace();

        @WithDefault("1s")
        Duration sweepInterval();
    }

    /** Input limits. */
    interface Limits {
        @WithDefault("65536")
        int maxInputBytes();
    }
}
