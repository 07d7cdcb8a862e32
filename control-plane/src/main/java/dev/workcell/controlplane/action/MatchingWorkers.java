package dev.workcell.controlplane.action;

import dev.workcell.controlplane.dimension.DimensionMatcher;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workers of this replica whose devices match each dimension set, computed again only when the
 * live set changed: matching every device of a large farm on each submit would cost more than the claim.
 */
@ApplicationScoped
public class MatchingWorkers {

    private final Workers workers;
    private final Map<Long, Matching> bySet = new ConcurrentHashMap<>();

    public MatchingWorkers(Workers workers) {
        this.workers = workers;
    }

    /** The workers matching a set, as of a count of the live set's changes. */
    private record Matching(long changes, List<LiveWorker> workers) {}

    /** The live workers of this replica whose devices match the set, whether free or not. */
    List<LiveWorker> of(long setId, DimensionMatcher set) {
        long changes = workers.changes();
        Matching cached = bySet.get(setId);
        if (cached == null || cached.changes() != changes) {
            cached = new Matching(
                    changes,
                    workers.all().stream()
                            .filter(worker -> set.matches(worker.dimensions()))
                            .toList());
            bySet.put(setId, cached);
        }
        return cached.workers();
    }
}
