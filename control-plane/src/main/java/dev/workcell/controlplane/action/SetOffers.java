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
 * time: free devices that hold no attempt, round-robin ({@link OfferRotation}). A gang's set is offered
 * to the hosts that can field it ({@link GangClaims}).
 */
@ApplicationScoped
public class SetOffers {

    private final DimensionSets dimensionSets;
    private final MatchingWorkers matching;
    private final OfferRotation rotation;
    private final DeviceClaims claims;
    private final ClaimHints hints;
    private final Workers workers;
    private final LedgerQueries queries;
    private final GangClaims gangs;

    public SetOffers(
            DimensionSets dimensionSets,
            MatchingWorkers matching,
            OfferRotation rotation,
            DeviceClaims claims,
            ClaimHints hints,
            Workers workers,
            LedgerQueries queries,
            GangClaims gangs) {
        this.gangs = gangs;
        this.dimensionSets = dimensionSets;
        this.matching = matching;
        this.rotation = rotation;
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
        return dimensionSets
                .refresh()
                .chain(() -> Multi.createFrom()
                        .iterable(setIds)
                        .onItem()
                        .transformToUniAndConcatenate(setId -> offer(setId, null, false))
                        .collect()
                        .last())
                .replaceWithVoid();
    }

    private Uni<Boolean> offer(long setId, String last, boolean untilOneTakes) {
        return dimensionSets
                .byId(setId)
                .chain(set -> set.isEmpty()
                        ? Uni.createFrom().item(false)
                        : set.get().isGang()
                                ? gangs.offer(setId, set.get())
                                : offer(
                                        setId,
                                        rotation.order(
                                                setId,
                                                matching.of(setId, set.get().device()),
                                                last),
                                        untilOneTakes,
                                        false));
    }

    /**
     * Offers the set's waiting actions to the candidates left in {@code order} that can take one
     * now: free devices, and when it stops at the first that takes, devices that hold no attempt
     * (checked as each comes up, not for every matching device). After a device took nothing, the
     * next one is tried only while something still waits in the set: another device may have
     * taken the action meanwhile, and trying every matching device for nothing would cost one
     * claim per device.
     */
    private Uni<Boolean> offer(long setId, OfferRotation.OfferOrder order, boolean untilOneTakes, boolean taken) {
        if (taken && untilOneTakes) {
            return Uni.createFrom().item(true);
        }
        LiveWorker candidate = nextFree(order, untilOneTakes);
        if (candidate == null) {
            return Uni.createFrom().item(taken);
        }
        return claims.claimFor(candidate, true)
                .chain(claimed -> claimed
                        ? offer(setId, order, untilOneTakes, true)
                        : queries.anyWaitingIn(setId)
                                .chain(waiting -> waiting
                                        ? offer(setId, order, untilOneTakes, taken)
                                        : Uni.createFrom().item(taken)));
    }

    private LiveWorker nextFree(OfferRotation.OfferOrder order, boolean untilOneTakes) {
        for (LiveWorker candidate = order.next(); candidate != null; candidate = order.next()) {
            if (workers.isAvailable(candidate.id())
                    && (!untilOneTakes || !hints.holdsAttempt(candidate.info().getTarget()))) {
                return candidate;
            }
        }
        return null;
    }
}
