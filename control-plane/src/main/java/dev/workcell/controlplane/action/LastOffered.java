package dev.workcell.controlplane.action;

import dev.workcell.controlplane.worker.Workers.LiveWorker;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each device was last offered an action by dimensions, so that offers go to the least
 * recently offered first: a device just offered one is likely busy with it, and concurrent offers
 * would otherwise all try the same devices first, one claim after another.
 */
@ApplicationScoped
public class LastOffered {

    /** System.nanoTime() of each worker's last offer. */
    private final Map<String, Long> byWorker = new ConcurrentHashMap<>();

    /** The candidates in the order to offer to: the device of {@code last} (where the previous attempt ran) last, then least recently offered first. */
    List<LiveWorker> order(List<LiveWorker> candidates, String last) {
        return candidates.stream()
                .sorted(Comparator.<LiveWorker, Boolean>comparing(worker -> worker.info().getTarget().equals(last))
                        .thenComparing(worker -> byWorker.getOrDefault(worker.id(), 0L)))
                .toList();
    }

    /** Notes that a worker is being offered an action now. */
    void offering(LiveWorker worker) {
        byWorker.put(worker.id(), System.nanoTime());
    }
}
