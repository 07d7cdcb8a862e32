package dev.workcell.controlplane.action;

import dev.workcell.controlplane.dimension.DimensionSets;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-device dimension sets each worker of this replica matches ({@link DimensionSets#matching}),
 * computed again only when its dimensions changed or a set was learned: a claim asks twice per device,
 * and matching a device's 20 dimensions against every known set each time cost more than the claim's statement.
 */
@ApplicationScoped
public class MatchingSets {

    private final DimensionSets dimensionSets;
    private final Map<String, Matched> byWorker = new ConcurrentHashMap<>();

    public MatchingSets(DimensionSets dimensionSets) {
        this.dimensionSets = dimensionSets;
    }

    /** The sets matched by these dimensions (the very map, compared by identity) when so many sets were known. */
    private record Matched(SortedMap<String, SortedSet<String>> dimensions, long learned, List<Long> setIds) {}

    /** The ids of the known single-device sets the worker's device matches, in id order. */
    List<Long> of(LiveWorker worker) {
        long learned = dimensionSets.learned();
        Matched cached = byWorker.get(worker.id());
        if (cached == null || cached.dimensions() != worker.dimensions() || cached.learned() != learned) {
            cached = new Matched(worker.dimensions(), learned, dimensionSets.matching(worker.dimensions()));
            byWorker.put(worker.id(), cached);
        }
        return cached.setIds();
    }
}
