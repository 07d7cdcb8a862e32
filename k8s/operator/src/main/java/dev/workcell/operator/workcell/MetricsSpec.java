package dev.workcell.operator.workcell;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.workcell.operator.common.Names;
import io.fabric8.generator.annotation.Pattern;

/** Prometheus scraping of /q/metrics on the management port. */
public record MetricsSpec(
        @JsonPropertyDescription("Create a prometheus-operator ServiceMonitor (only when that CRD is installed).")
        Boolean serviceMonitor,

        @Pattern(Names.DURATION) @JsonPropertyDescription("Scrape interval (default 30s).")
        String interval) {

    public static final MetricsSpec DEFAULT = new MetricsSpec(null, null);

    public boolean serviceMonitorRequested() {
        return Boolean.TRUE.equals(serviceMonitor);
    }

    public String intervalOrDefault() {
        return interval == null ? "30s" : interval;
    }
}
