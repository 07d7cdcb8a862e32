package dev.workcell.controlplane.action;

import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.Action;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Claims the next action of a device of this replica in the ledger and pushes it down its worker's
 * stream ({@link TaskPushes}); a gang that can use the device ({@link GangClaims}) goes first. One claim per device at a time: a claim asked
 * for while one runs is run once more after it (however many were asked for), if it is still
 * worth it then, and answers false at once, so that an offer moves on to the next device instead
 * of queueing a claim that the one-task-per-device rule would refuse.
 */
@ApplicationScoped
public class DeviceClaims {

    /** What a claim asked for while another runs waits for. */
    private enum Again {
        NOTHING,
        IF_WORTH_IT,
        ANYWAY
    }

    private final Ledger ledger;
    private final MatchingSets matchingSets;
    private final TaskPushes pushes;
    private final ClaimHints hints;
    private final SetHints setHints;
    private final GangClaims gangs;
    /** The workers with a claim running, each with what was asked for meanwhile. */
    private final Map<String, Again> running = new ConcurrentHashMap<>();

    public DeviceClaims(
            Ledger ledger,
            MatchingSets matchingSets,
            TaskPushes pushes,
            ClaimHints hints,
            SetHints setHints,
            GangClaims gangs) {
        this.ledger = ledger;
        this.matchingSets = matchingSets;
        this.pushes = pushes;
        this.hints = hints;
        this.setHints = setHints;
        this.gangs = gangs;
    }

    /**
     * Claims and pushes the next action of a worker if the claim may take something ({@link #worthIt});
     * true when it took one. {@code anyway} claims whatever the hints say (an offer of waiting
     * actions by dimensions, the periodic sweep).
     */
    Uni<Boolean> claimFor(LiveWorker worker, boolean anyway) {
        boolean[] first = {false};
        running.compute(worker.id(), (id, again) -> {
            first[0] = again == null;
            if (first[0]) {
                return Again.NOTHING;
            }
            return anyway || again == Again.ANYWAY ? Again.ANYWAY : Again.IF_WORTH_IT;
        });
        if (!first[0]) {
            return Uni.createFrom().item(false);
        }
        if (!anyway && !worthIt(worker)) {
            claimAgainIfAsked(worker);
            return Uni.createFrom().item(false);
        }
        return claimOnce(worker).onTermination().invoke(() -> claimAgainIfAsked(worker));
    }

    /**
     * Whether a claim for the worker may take something: its device holds no attempt this replica
     * knows of, and something may wait for it: in its own queue, in a dimension set it matches, or
     * in a gang it could take a place in.
     */
    boolean worthIt(LiveWorker worker) {
        String target = worker.info().getTarget();
        return hints.worthClaiming(target)
                || (!hints.holdsAttempt(target)
                        && (setHints.mayWaitInAny(matchingSets.of(worker)) || gangs.mayUse(worker)));
    }

    private void claimAgainIfAsked(LiveWorker worker) {
        Again again = running.remove(worker.id());
        if (again == Again.NOTHING || again == null) {
            return;
        }
        claimFor(worker, again == Again.ANYWAY)
                .subscribe()
                .with(
                        ignored -> {},
                        failure -> Log.warnf(
                                failure,
                                "could not dispatch for device %s",
                                worker.info().getTarget()));
    }

    /** A gang that can use the device goes first (it needs several free at once, a single action one), then the device's own work. */
    private Uni<Boolean> claimOnce(LiveWorker worker) {
        return gangs.claimAround(worker).chain(turn -> switch (turn) {
            case TAKEN -> Uni.createFrom().item(true);
            case RESERVED -> Uni.createFrom().item(false);
            case FREE -> claimAlone(worker);
        });
    }

    private Uni<Boolean> claimAlone(LiveWorker worker) {
        List<Long> sets = matchingSets.of(worker);
        ClaimHints.Claim hint = hints.claiming(worker.info().getTarget());
        SetHints.Claim setHint = setHints.claiming(sets);
        Uni<Optional<Action>> claim = sets.isEmpty()
                ? ledger.claimNext(worker.info().getTarget(), worker.id(), worker.operations())
                : ledger.claimMatching(worker.info(), sets);
        return claim.chain(claimed -> {
            if (claimed.isEmpty()) {
                hints.cameBackEmpty(hint);
                if (hint.believedFree()) {
                    setHints.cameBackEmpty(setHint);
                }
                return Uni.createFrom().item(false);
            }
            Action action = claimed.get();
            hints.claimed(hint, action.getId(), action.getSlicesCount() > 0);
            return pushes.push(worker, action, List.of()).replaceWith(true);
        });
    }
}
