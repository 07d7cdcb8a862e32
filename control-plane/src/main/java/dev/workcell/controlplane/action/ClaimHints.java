package dev.workcell.controlplane.action;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this replica knows of its devices that makes a claim worth trying: whether a device holds
 * an attempt this replica claimed, and whether actions queued for it may still wait. A claim for a
 * device that holds an attempt, or for which nothing was queued since its queue was last found
 * empty, would come back empty; the dispatcher skips it. The ledger's guards stay the authority:
 * these are hints, and every doubt (a change they cannot follow, an attempt that ended without
 * their knowing it began) makes the next claim worth trying, so that a kick is never lost to them.
 */
@ApplicationScoped
public class ClaimHints {

    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    /** What is known of one target device; guarded by itself. */
    private static final class Target {
        /** The action whose attempt this replica claimed for the device, null when none (or not known). */
        String held;
        /** Actions queued for the device since this replica started, and how many of them were claimed or found gone. */
        long arrivals;

        long accounted;
        /** Whether something the counts do not follow may wait (a restart, a change of the device, a claim of a non-counted action). */
        boolean unknown = true;
        /** Counts the times {@link #unknown} was set, so that an empty claim clears only what was known when it began. */
        long doubts;
    }

    /** What was known when a claim began: an empty claim settles only that. */
    record Claim(String targetId, boolean believedFree, long arrivals, long doubts) {}

    private Target of(String targetId) {
        return targets.computeIfAbsent(targetId, id -> new Target());
    }

    /** Actions were queued for the target (a submit, a batch): that many more may wait. */
    void arrived(String targetId, int actions) {
        Target target = of(targetId);
        synchronized (target) {
            target.arrivals += actions;
        }
    }

    /**
     * Something changed that the hints cannot follow (the device was approved, released, registered
     * again; another replica or the sweep says work may wait): forget what is known of the device.
     */
    void doubt(String targetId) {
        Target target = of(targetId);
        synchronized (target) {
            target.held = null;
            doubtLocked(target);
        }
    }

    /**
     * The attempt of an action ended on the target (it finished, was queued again, or was lost).
     * An attempt the hints did not know of means they were wrong about the device: doubt it.
     */
    void ended(String targetId, String actionId) {
        Target target = of(targetId);
        synchronized (target) {
            if (!actionId.equals(target.held)) {
                doubtLocked(target);
            }
            target.held = null;
        }
    }

    /** Whether the device holds an attempt this replica claimed and has not seen end. */
    boolean holdsAttempt(String targetId) {
        Target target = targets.get(targetId);
        if (target == null) {
            return false;
        }
        synchronized (target) {
            return target.held != null;
        }
    }

    /** Whether a claim for the target's own queue may take something: the device is free, and something may wait. */
    boolean worthClaiming(String targetId) {
        Target target = of(targetId);
        synchronized (target) {
            return target.held == null && (target.unknown || target.arrivals > target.accounted);
        }
    }

    /** A claim for the target begins. */
    Claim claiming(String targetId) {
        Target target = of(targetId);
        synchronized (target) {
            return new Claim(targetId, target.held == null, target.arrivals, target.doubts);
        }
    }

    /** The claim took an action (queued for the target itself unless {@code bySet}): the device holds it now. */
    void claimed(Claim claim, String actionId, boolean bySet) {
        Target target = of(claim.targetId());
        synchronized (target) {
            target.held = actionId;
            if (bySet) {
                return;
            }
            if (target.arrivals > target.accounted) {
                target.accounted++;
            } else {
                doubtLocked(target); // it took an action the counts did not know of: others may wait too
            }
        }
    }

    /**
     * The claim took nothing. If the device was free when it began, nothing queued by then waits
     * (or it waits for a reason only a later change lifts, such as a quota or a quarantine).
     */
    void cameBackEmpty(Claim claim) {
        if (!claim.believedFree()) {
            return;
        }
        Target target = of(claim.targetId());
        synchronized (target) {
            target.accounted = Math.max(target.accounted, claim.arrivals());
            if (target.doubts == claim.doubts()) {
                target.unknown = false;
            }
        }
    }

    private static void doubtLocked(Target target) {
        target.unknown = true;
        target.doubts++;
    }
}
