package dev.workcell.controlplane.action;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this replica knows of the dimension sets its devices match: whether an action may wait in
 * one. A set is in doubt (something may wait) from the start, and again whenever an action arrives in
 * it (here or, as another replica says, there) or the sweep finds due work in it; an offer that placed
 * the one action that arrived in a set known empty, and an empty claim of a free device matching the
 * set begun after the last doubt, clear it.
 * A device whose own queue and matched sets are known empty skips the claim after each attempt: in
 * benchmark 5 that claim came back empty for nearly every action. These are hints, like
 * {@link ClaimHints}: offers and the periodic sweep claim whatever they say. Where they are wrong, an
 * action waits for the next sweep ({@code workcell.lease.sweep-interval}, 1 s) at most: for instance when
 * the device an offer reached took an earlier action of another of its sets instead, so that the offer's
 * own action still waits in a set these hints now believe empty.
 */
@ApplicationScoped
public class SetHints {

    private final Map<Long, DimensionSet> sets = new ConcurrentHashMap<>();

    /** What is known of one set; guarded by itself. */
    private static final class DimensionSet {
        boolean mayWait = true;
        /** Counts the doubts, so that an empty claim clears only what was known when it began. */
        long doubts;
    }

    /** What was known of a device's sets when a claim for it began: an empty claim settles only that. */
    record Claim(List<Long> setIds, long[] doubts) {}

    /** An action arrived in a set (a submit, a retry, a slice that gave way), as known before it arrived. */
    record Arrival(long setId, boolean mayWaitBefore, long doubts) {}

    private DimensionSet of(long setId) {
        return sets.computeIfAbsent(setId, id -> new DimensionSet());
    }

    /** An action may wait in the set. */
    void doubt(long setId) {
        arrived(setId);
    }

    /** An action arrived in the set: it may wait there until an offer places it. */
    Arrival arrived(long setId) {
        DimensionSet set = of(setId);
        synchronized (set) {
            Arrival arrival = new Arrival(setId, set.mayWait, set.doubts + 1);
            set.mayWait = true;
            set.doubts++;
            return arrival;
        }
    }

    /**
     * An offer placed an action of the set after this arrival: if nothing waited in the set before
     * and nothing arrived since, nothing waits now (a claim takes the set's first waiting action).
     */
    void placed(Arrival arrival) {
        DimensionSet set = of(arrival.setId());
        synchronized (set) {
            if (!arrival.mayWaitBefore() && set.doubts == arrival.doubts()) {
                set.mayWait = false;
            }
        }
    }

    /** Whether an action may wait in any of these sets. */
    boolean mayWaitInAny(List<Long> setIds) {
        for (long setId : setIds) {
            DimensionSet set = of(setId);
            synchronized (set) {
                if (set.mayWait) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A claim with these sets begins. */
    Claim claiming(List<Long> setIds) {
        long[] doubts = new long[setIds.size()];
        for (int i = 0; i < doubts.length; i++) {
            DimensionSet set = of(setIds.get(i));
            synchronized (set) {
                doubts[i] = set.doubts;
            }
        }
        return new Claim(setIds, doubts);
    }

    /** The claim of a device that was free when it began took nothing: nothing doubted by then waits in its sets. */
    void cameBackEmpty(Claim claim) {
        for (int i = 0; i < claim.doubts().length; i++) {
            DimensionSet set = of(claim.setIds().get(i));
            synchronized (set) {
                if (set.doubts == claim.doubts()[i]) {
                    set.mayWait = false;
                }
            }
        }
    }
}
