package dev.workcell.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefreshedMultiGaugeTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RefreshedMultiGauge<String> depth = new RefreshedMultiGauge<>(
            MultiGauge.builder("queue.depth").register(registry), target -> Tags.of("target", target));

    @Test
    void aRefreshUpdatesTheValueOfAKeptRowWithoutRegisteringItsGaugeAgain() {
        depth.refresh(Map.of("a", 2L));
        Gauge first = gauge("a");
        assertThat(first.value()).isEqualTo(2);

        depth.refresh(Map.of("a", 5L));

        assertThat(gauge("a")).isSameAs(first);
        assertThat(first.value()).isEqualTo(5);
    }

    @Test
    void aRefreshRegistersNewRowsAndRemovesTheRowsItNoLongerHas() {
        depth.refresh(Map.of("a", 1L, "b", 3L));

        depth.refresh(Map.of("b", 4L, "c", 0.5));

        assertThat(registry.find("queue.depth").tag("target", "a").gauge()).isNull();
        assertThat(gauge("b").value()).isEqualTo(4);
        assertThat(gauge("c").value()).isEqualTo(0.5);
        assertThat(registry.find("queue.depth").gauges()).hasSize(2);
    }

    @Test
    void aRowGoneAndAnotherNewInOneRefreshAreBothSeen() {
        depth.refresh(Map.of("a", 1L, "b", 2L));

        depth.refresh(Map.of("a", 3L, "c", 4L));

        assertThat(registry.find("queue.depth").tag("target", "b").gauge()).isNull();
        assertThat(gauge("c").value()).isEqualTo(4);
        assertThat(gauge("a").value()).isEqualTo(3);
    }

    @Test
    void aRowGoneWithNoNewOneIsRemoved() {
        depth.refresh(Map.of("a", 1L, "b", 2L));

        depth.refresh(Map.of("a", 3L));

        assertThat(registry.find("queue.depth").gauges()).hasSize(1);
        assertThat(gauge("a").value()).isEqualTo(3);
    }

    private Gauge gauge(String target) {
        return registry.get("queue.depth").tag("target", target).gauge();
    }
}
