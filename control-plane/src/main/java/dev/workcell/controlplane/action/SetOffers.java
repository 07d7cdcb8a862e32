package dev.workcell.controlplane.action;

import dev.workcell.controlplane.dimension.DimensionSets;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Offers the actions waiting in a dimension set to the matching devices of this replica, one at a
 * time: free devices that hold no attempt, the least recently offered first. A gang's set is offered
 * to the hosts that can field it ({@link GangClaims}).
 */
@ApplicationScoped
public class SetOffers {

    private final DimensionSets dimensionSets;
    private final MatchingWorkers matching;
    private final LastOffered lastOffered;
    private final DeviceClaims claims;
    private final ClaimHints hints;
    private final Workers workers;
    private final LedgerQueries queries;
    private final GangClaims gangs;

    public SetOffers(DimensionSets dimensionSets, MatchingWorkers matching, LastOffered lastOffered, DeviceClaims claims,
                     ClaimHints hints, Workers workers, LedgerQueries queries, GangClaims gangs) {
        this.gangs = gangs;
        this.dimensionSets = dimensionSets;
        this.matching = matching;
        this.lastOffered = lastOffered;
        this.claims = claims;
        this.hints = hints;
        this.workers = workers;
        this.queries = queries;
    }

    /**
     * Offers a set's waiting actions until one device takes an action; true when one did. A device
     * in {@code last} (where the previous attempt ran) is offered last, so that a retry may move.
     */
    Uni<Boolean> untilOneTakes(long setId, String last) {
        return offer(setId, last, true);
    }

    /**
     * Offers the actions waiting in these sets to every matching device of this replica, whatever
     * the hints say of them (the periodic sweep, which repairs what a lost kick or a wrong hint left).
     */
    Uni<Void> sweep(List<Long> setIds) {
        return dimensionSets.refresh()
                .chain(() -> Multi.createFrom().iterable(setIds)
                        .onItem().transformToUniAndConcatenate(setId -> offer(setId, null, false))
                        .collect().last())
                .replaceWithVoid();
    }

    private Uni<Boolean> offer(long setId, String last, boolean untilOneTakes) {
        return dimensionSets.byId(setId).chain(set -> set.isEmpty()
                ? Uni.createFrom().item(false)
                : set.get().isGang() ? gangs.offer(setId, set.get())
                : offer(setId, lastOffered.order(matching.of(setId, set.get().device()).stream()
                        .filter(worker -> workers.isAvailable(worker.id()))
                        .filter(worker -> !untilOneTakes || !hints.holdsAttempt(worker.info().getTarget()))
                        .toList(), last), 0, untilOneTakes, false));
    }

    /**
     * Offers the set's waiting actions to the candidates from {@code next} on. After a device took
     * nothing, the next one is tried only while something still waits in the set: another device
     * may have taken the action meanwhile, and trying every matching device for nothing would cost
     * one claim per device.
     */
    private Uni<Boolean> offer(long setId, List<LiveWorker> candidates, int next, boolean untilOneTakes, boolean taken) {
        if (next >= candidates.size() || (taken && untilOneTakes)) {
            return Uni.createFrom().item(taken);
        }
        lastOffered.offering(candidates.get(next));
        return claims.claimFor(candidates.get(next), true).chain(claimed -> claimed
                ? offer(setId, candidates, next + 1, untilOneTakes, true)
                : queries.anyWaitingIn(setId).chain(waiting -> waiting
                        ? offer(setId, candidates, next + 1, untilOneTakes, taken)
                        : Uni.createFrom().item(taken)));
    }
}
