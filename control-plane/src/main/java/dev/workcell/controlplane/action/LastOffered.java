package dev.workcell.controlplane.action;

import dev.workcell.controlplane.worker.Workers.LiveWorker;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * When each device was last offered an action by dimensions, so that offers go to the least
 * recently offered first: a device just offered one is likely busy with it, and concurrent offers
 * would otherwise all try the same devices first, one claim after another.
 */
@ApplicationScoped
public class LastOffered {

    /** System.nanoTime() of each worker's last offer. */
    private final Map<String, Long> byWorker = new ConcurrentHashMap<>();

    /**
     * The candidates in the order to offer to: the device of {@code last} (where the previous attempt ran) last,
     * then least recently offered first. Taken one at a time, as an offer usually stops at the first device
     * that takes: each candidate's last offer is read once, where sorting thousands on every submit read it a dozen times.
     */
    OfferOrder order(List<LiveWorker> candidates, String last) {
        long[] offeredAt = new long[candidates.size()];
        boolean[] previous = new boolean[candidates.size()];
        for (int i = 0; i < offeredAt.length; i++) {
            LiveWorker worker = candidates.get(i);
            offeredAt[i] = byWorker.getOrDefault(worker.id(), 0L);
            previous[i] = worker.info().getTarget().equals(last);
        }
        return new OfferOrder(candidates, offeredAt, previous);
    }

    /** Notes that a worker is being offered an action now. */
    void offering(LiveWorker worker) {
        byWorker.put(worker.id(), System.nanoTime());
    }

    /**
     * The candidates of one offer, next first; not thread-safe (one offer walks it at a time). The
     * first few are found by a scan each (an offer usually stops at the first); past them, those
     * left are sorted once, which only a sweep (it offers to all) or a run of busy devices needs.
     */
    static final class OfferOrder {

        /** How many candidates are found by scanning before the rest are sorted. */
        private static final int SCANS = 4;

        private final List<LiveWorker> candidates;
        private final long[] offeredAt;
        private final boolean[] previous;
        private final boolean[] given;
        private int scans;
        private int[] sorted;
        private int next;

        private OfferOrder(List<LiveWorker> candidates, long[] offeredAt, boolean[] previous) {
            this.candidates = candidates;
            this.offeredAt = offeredAt;
            this.previous = previous;
            this.given = new boolean[candidates.size()];
        }

        /** The next candidate, or null when none is left. */
        LiveWorker next() {
            if (scans < SCANS) {
                scans++;
                int first = -1;
                for (int i = 0; i < given.length; i++) {
                    if (!given[i] && (first < 0 || compare(i, first) < 0)) {
                        first = i;
                    }
                }
                if (first < 0) {
                    return null;
                }
                given[first] = true;
                return candidates.get(first);
            }
            if (sorted == null) {
                sorted = IntStream.range(0, given.length)
                        .filter(i -> !given[i])
                        .boxed()
                        .sorted(this::compare)
                        .mapToInt(Integer::intValue)
                        .toArray();
            }
            return next < sorted.length ? candidates.get(sorted[next++]) : null;
        }

        private int compare(int i, int j) {
            return previous[i] != previous[j]
                    ? Boolean.compare(previous[i], previous[j])
                    : Long.compare(offeredAt[i], offeredAt[j]);
        }
    }
}
