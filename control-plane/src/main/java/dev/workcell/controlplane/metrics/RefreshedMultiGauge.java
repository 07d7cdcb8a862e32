package dev.workcell.controlplane.metrics;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A gauge with one row per key (e.g. one per target device), refreshed as a whole. A refresh sets
 * the values of the rows it keeps in place and registers rows again only when some are new or gone:
 * Micrometer's {@code MultiGauge.register(rows, true)} removes and registers every row on every
 * refresh, which cost the control plane 2 % of its CPU with 500 devices during benchmark 1, and even
 * {@code register(rows, false)} hashes every row's tags (7 % with benchmark 5's 10,000 devices). Rows
 * are keyed by a key of the caller's (cheap to hash), turned into tags once per new row.
 * Refreshes come one at a time; scrapes read the values meanwhile.
 */
final class RefreshedMultiGauge<K> {

    private final MultiGauge gauge;
    private final Function<K, Tags> tagsOf;
    private Map<K, Row> rows = Map.of();

    RefreshedMultiGauge(MultiGauge gauge, Function<K, Tags> tagsOf) {
        this.gauge = gauge;
        this.tagsOf = tagsOf;
    }

    /** The rows now: these keys with these values, and no other. */
    void refresh(Map<K, ? extends Number> values) {
        Map<K, Row> next = new HashMap<>();
        int kept = 0;
        for (var entry : values.entrySet()) {
            Row row = rows.get(entry.getKey());
            if (row == null) {
                row = new Row(tagsOf.apply(entry.getKey()));
            } else {
                kept++;
            }
            row.current = entry.getValue().doubleValue();
            next.put(entry.getKey(), row);
        }
        boolean sameRows = kept == rows.size() && kept == next.size();
        rows = next;
        if (!sameRows) {
            List<MultiGauge.Row<?>> registered = next.values().stream()
                    .<MultiGauge.Row<?>>map(row -> MultiGauge.Row.of(row.tags, row, Row::current))
                    .toList();
            gauge.register(registered, false);
        }
    }

    /** A row's tags and value, which its registered gauge reads at each scrape. */
    private static final class Row {
        private final Tags tags;
        private volatile double current;

        private Row(Tags tags) {
            this.tags = tags;
        }

        double current() {
            return current;
        }
    }
}
