package dev.workcell.controlplane.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of Workcell's metrics, under {@code workcell.metrics.*}. */
@ConfigMapping(prefix = "workcell.metrics")
public interface MetricsConfig {

    /** How often the gauges read from the ledger (queues, agents, workers, devices) are refreshed: two queries each time. */
    @WithDefault("5s")
    Duration refresh();
}
