package dev.workcell.controlplane.action;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.ClusterMessage.Kick;
import dev.workcell.controlplane.cluster.ClusterMessage.KickMatching;
import dev.workcell.controlplane.dimension.DeviceSet;
import dev.workcell.controlplane.dimension.DimensionMatcher;
import dev.workcell.controlplane.dimension.DimensionSets;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.TaskSlice;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Moves queued actions to their workers: told that a device may have work (a submit, a finished
 * attempt, a device that registered or changed), claims for it through {@link DeviceClaims} when
 * it is connected here, else tells the other replicas; told that an action by dimensions waits,
 * offers it to the matching devices here ({@link SetOffers}), then to the other replicas'. What
 * this replica knows of its devices ({@link ClaimHints}) spares the claims that would come back empty.
 */
@ApplicationScoped
@Startup
public class Dispatcher {

    private final Workers workers;
    private final Vertx vertx;
    private final ClusterBus bus;
    private final DimensionSets dimensionSets;
    private final ClaimHints hints;
    private final DeviceClaims claims;
    private final SetOffers offers;
    private final SetHints setHints;

    public Dispatcher(
            Workers workers,
            Vertx vertx,
            ClusterBus bus,
            DimensionSets dimensionSets,
            ClaimHints hints,
            DeviceClaims claims,
            SetOffers offers,
            SetHints setHints) {
        this.workers = workers;
        this.vertx = vertx;
        this.bus = bus;
        this.dimensionSets = dimensionSets;
        this.hints = hints;
        this.claims = claims;
        this.offers = offers;
        this.setHints = setHints;
        bus.on(Kick.class, kick -> kickLocal(kick.targetId()));
        bus.on(KickMatching.class, kick -> kick.setIds().forEach(setId -> offer(setId, null, false)));
    }

    /**
     * Dispatches the next action of a target after a change the dispatcher cannot read (the device
     * was approved, released, registered; its retry is due): here when its worker's agent is
     * connected to this replica, else by telling the other replicas.
     */
    public void kick(String targetId) {
        if (!kickLocal(targetId)) {
            bus.tell(new Kick(targetId));
        }
    }

    /** Dispatches for a target whose worker's agent is connected here, whatever was known of it; false when it is not here. */
    public boolean kickLocal(String targetId) {
        Optional<LiveWorker> worker = workers.find(targetId);
        worker.ifPresent(found -> {
            hints.doubt(targetId);
            claim(found);
        });
        return worker.isPresent();
    }

    /** Actions were queued for a target: claims one unless its device is busy with an attempt. */
    public void arrived(String targetId, int actions) {
        Optional<LiveWorker> worker = workers.find(targetId);
        if (worker.isEmpty()) {
            bus.tell(new Kick(targetId));
            return;
        }
        hints.arrived(targetId, actions);
        claim(worker.get());
    }

    /**
     * The attempt of an action ended on its device, which an agent of this replica reported (it
     * finished, or was queued again for a retry): claims the device's next action if one may wait.
     */
    public void ended(Action changed) {
        if (!changed.getTarget().isEmpty()) {
            freed(changed.getTarget(), changed.getId());
        }
    }

    /** The attempt of a gang ended: its companions are free again (the ledger let go of them with the attempt). */
    public void companionsFreed(Action changed) {
        changed.getCompanionsList().forEach(companion -> freed(companion, changed.getId()));
    }

    private void freed(String targetId, String actionId) {
        Optional<LiveWorker> worker = workers.find(targetId);
        if (worker.isEmpty()) {
            kick(targetId);
            return;
        }
        hints.ended(targetId, actionId);
        claim(worker.get());
    }

    /**
     * Offers the actions waiting in a dimension set to the free matching devices: those connected
     * here one at a time until one takes an action, else those of the other replicas. A device in
     * {@code last} (where the previous attempt ran) is offered last, so that a retry may move.
     */
    public void kickMatching(long setId, String last) {
        offer(setId, last, true);
    }

    /** An action arrived in a set (here, or on the replica that tells): offered here, then to the others' devices if asked. */
    private void offer(long setId, String last, boolean elseTellOthers) {
        SetHints.Arrival arrival = setHints.arrived(setId);
        offers.untilOneTakes(setId, last)
                .subscribe()
                .with(
                        claimed -> {
                            if (claimed) {
                                setHints.placed(arrival);
                            } else if (elseTellOthers) {
                                bus.tell(new KickMatching(List.of(setId)));
                            }
                        },
                        failure -> Log.warnf(failure, "could not dispatch for dimension set %d", setId));
    }

    /**
     * Kicks what a changed action may unblock or wait for: its device, or its dimension set when it
     * waits by dimensions ({@code lastTarget}, where its previous attempt ran, is offered it last).
     */
    public void kickFor(Action action, String lastTarget) {
        if (action.getStatus() == ActionStatus.QUEUED && action.getSlicesCount() > 0) {
            if (lastTarget != null) {
                workers.find(lastTarget).ifPresent(ignored -> hints.doubt(lastTarget));
            }
            dimensionSets
                    .idsOf(List.of(deviceSetOf(action.getSlices(action.getSlice()))))
                    .subscribe()
                    .with(
                            ids -> kickMatching(ids.get(0), lastTarget),
                            failure -> Log.warnf(failure, "could not dispatch %s", action.getId()));
        } else if (!action.getTarget().isEmpty()) {
            kick(action.getTarget());
        }
    }

    private static DeviceSet deviceSetOf(TaskSlice slice) {
        return new DeviceSet(
                DimensionMatcher.ofSpec(slice.getDimensionsMap()),
                slice.getCompanionsList().stream()
                        .map(companion -> DimensionMatcher.ofSpec(companion.getDimensionsMap()))
                        .toList());
    }

    /** Offers the actions waiting in these dimension sets to the matching devices of this replica (the periodic sweep). */
    Uni<Void> offerLocally(List<Long> setIds) {
        setIds.forEach(setHints::doubt);
        return offers.sweep(setIds);
    }

    /** Kicks for a requeued action once its retry is due: it arrives again in its device's queue, or in its dimension set. */
    public void kickLater(Action action, String lastTarget, Duration delay) {
        vertx.setTimer(Math.max(1, delay.toMillis()), ignored -> {
            if (action.getSlicesCount() == 0 && !action.getTarget().isEmpty()) {
                arrived(action.getTarget(), 1);
            } else {
                kickFor(action, lastTarget);
            }
        });
    }

    public void kickAll(List<String> targetIds) {
        targetIds.forEach(this::kick);
    }

    private void claim(LiveWorker worker) {
        claims.claimFor(worker, false)
                .subscribe()
                .with(
                        ignored -> {},
                        failure -> Log.warnf(
                                failure,
                                "could not dispatch for device %s",
                                worker.info().getTarget()));
    }
}
