package dev.workcell.controlplane.metrics;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A gauge with one row per set of tags (e.g. one per target device), refreshed as a whole. A refresh
 * sets the values of the rows it keeps in place, registers only its new rows and removes those it no
 * longer has: Micrometer's {@code MultiGauge.register(rows, true)} removes and registers every row on
 * every refresh, which cost the control plane 2 % of its CPU with 500 devices during benchmark 1.
 * Refreshes come one at a time; scrapes read the values meanwhile.
 */
final class RefreshedMultiGauge {

    private final MultiGauge gauge;
    private Map<Tags, Value> rows = Map.of();

    RefreshedMultiGauge(MultiGauge gauge) {
        this.gauge = gauge;
    }

    /** The rows now: these tags with these values, and no other. */
    void refresh(Map<Tags, ? extends Number> values) {
        Map<Tags, Value> next = new HashMap<>();
        values.forEach((tags, number) -> {
            Value value = rows.get(tags);
            if (value == null) {
                value = new Value();
            }
            value.current = number.doubleValue();
            next.put(tags, value);
        });
        rows = next;
        List<MultiGauge.Row<?>> registered = next.entrySet().stream()
                .<MultiGauge.Row<?>>map(row -> MultiGauge.Row.of(row.getKey(), row.getValue(), Value::current))
                .toList();
        gauge.register(registered, false);
    }

    /** A row's value, which its registered gauge reads at each scrape. */
    private static final class Value {
        private volatile double current;

        double current() {
            return current;
        }
    }
}
