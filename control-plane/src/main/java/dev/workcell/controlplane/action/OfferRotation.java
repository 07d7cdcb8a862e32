package dev.workcell.controlplane.action;

import dev.workcell.controlplane.worker.Workers.LiveWorker;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The order in which offers of a dimension set go to its matching devices: round-robin, each device an
 * offer reaches taking the set's next turn, so that a device just offered an action (likely busy with
 * it) comes up again only after the others, and concurrent offers of one set reach different devices.
 * Taking the next device costs the same whatever the number of matching devices: finding the least
 * recently offered of thousands on every submit was the control plane's largest cost in benchmark 5.
 */
@ApplicationScoped
public class OfferRotation {

    /** Per set, its turns so far: the next device is the one at this position (modulo their number). */
    private final Map<Long, AtomicInteger> turnsBySet = new ConcurrentHashMap<>();

    /**
     * The candidates of one offer of a set, in the order to offer to: each the set's next turn, every
     * candidate once at most, the device of {@code last} (where the previous attempt ran) last.
     */
    OfferOrder order(long setId, List<LiveWorker> candidates, String last) {
        return new OfferOrder(candidates, last, turnsBySet.computeIfAbsent(setId, id -> new AtomicInteger()));
    }

    /** The candidates of one offer, next first; not thread-safe (one offer walks it at a time). */
    static final class OfferOrder {

        private final List<LiveWorker> candidates;
        private final String last;
        private final AtomicInteger turns;
        private final BitSet given;
        private int walked;
        private LiveWorker previous;

        private OfferOrder(List<LiveWorker> candidates, String last, AtomicInteger turns) {
            this.candidates = candidates;
            this.last = last;
            this.turns = turns;
            this.given = new BitSet(candidates.size());
        }

        /**
         * The next candidate, or null when none is left. Concurrent offers of the set take turns from
         * the same count: within one round they reach different devices, and one that comes round
         * again (after the others' turns) goes on with the devices it has not reached yet.
         */
        LiveWorker next() {
            while (walked < candidates.size()) {
                int position = Math.floorMod(turns.getAndIncrement(), candidates.size());
                if (given.get(position)) {
                    int free = given.nextClearBit(position);
                    position = free < candidates.size() ? free : given.nextClearBit(0);
                }
                given.set(position);
                walked++;
                LiveWorker candidate = candidates.get(position);
                if (last != null && candidate.info().getTarget().equals(last)) {
                    previous = candidate;
                    continue;
                }
                return candidate;
            }
            LiveWorker lastOne = previous;
            previous = null;
            return lastOne;
        }
    }
}
