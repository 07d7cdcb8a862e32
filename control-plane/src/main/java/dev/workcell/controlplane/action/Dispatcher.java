package dev.workcell.controlplane.action;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.dimension.DimensionMatcher;
import dev.workcell.controlplane.dimension.DimensionSets;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Task;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves queued actions to their workers: when a device may have become free (a submit, a
 * finished attempt, a worker that registered), claims in the ledger the waiting action that should
 * go first among those named for that device and those whose dimensions it matches, and pushes it
 * down the worker's stream. When an action by dimensions starts waiting, offers it to the matching
 * devices of this replica one by one, then to the other replicas'. The claim is committed before the push.
 */
@ApplicationScoped
@Startup
public class Dispatcher {

    static final String KICK = "kick";
    static final String KICK_MATCHING = "kick-matching";

    private final Workers workers;
    private final Ledger ledger;
    private final ActionChanges changes;
    private final Vertx vertx;
    private final Duration grace;
    private final InputArtifacts inputArtifacts;
    private final ClusterBus bus;
    private final DimensionSets dimensionSets;
    private final LedgerQueries queries;
    /**
     * When each matching device was last offered an action (System.nanoTime()): offers go to the
     * least recently offered first. A device just offered one is likely busy with it, and concurrent
     * offers would otherwise all try the same devices first, one claim after another.
     */
    private final Map<String, Long> lastOffered = new ConcurrentHashMap<>();
    private final Map<Long, MatchingWorkers> matchingBySet = new ConcurrentHashMap<>();
    /** The workers with a claim running, each with whether another was asked for meanwhile. */
    private final Map<String, Boolean> claiming = new ConcurrentHashMap<>();

    public Dispatcher(Workers workers, Ledger ledger, ActionChanges changes, Vertx vertx, WorkcellConfig config,
                      InputArtifacts inputArtifacts, ClusterBus bus, DimensionSets dimensionSets, LedgerQueries queries) {
        this.queries = queries;
        this.inputArtifacts = inputArtifacts;
        this.bus = bus;
        this.dimensionSets = dimensionSets;
        bus.on(KICK, arguments -> kickLocal(arguments.get(0)));
        bus.on(KICK_MATCHING, arguments -> arguments.forEach(setId -> offerLocally(Long.parseLong(setId), null, true)
                .subscribe().with(ignored -> { }, failure -> Log.warnf(failure, "could not dispatch for dimension set %s", setId))));
        this.workers = workers;
        this.ledger = ledger;
        this.changes = changes;
        this.vertx = vertx;
        this.grace = config.lease().grace();
    }

    /**
     * Dispatches the next action of a target if it runs nothing: here when its worker's agent is
     * connected to this replica, else by telling the other replicas.
     */
    public void kick(String targetId) {
        if (!kickLocal(targetId)) {
            bus.tell(KICK, targetId);
        }
    }

    /** Dispatches for a target whose worker's agent is connected here; false when it is not. */
    public boolean kickLocal(String targetId) {
        var worker = workers.find(targetId);
        worker.ifPresent(found -> claimFor(found).subscribe().with(
                ignored -> { },
                failure -> Log.warnf(failure, "could not dispatch for device %s", targetId)));
        return worker.isPresent();
    }

    /**
     * Offers the actions waiting in a dimension set to the free matching devices: those connected
     * here one at a time until one takes an action, else those of the other replicas. A device in
     * {@code last} (where the previous attempt ran) is offered last, so that a retry may move.
     */
    public void kickMatching(long setId, String last) {
        offerLocally(setId, last, true).subscribe().with(
                claimed -> {
                    if (!claimed) {
                        bus.tell(KICK_MATCHING, Long.toString(setId));
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
            dimensionSets.idsOf(List.of(DimensionMatcher.ofSpec(action.getSlices(action.getSlice()).getDimensionsMap())))
                    .subscribe().with(ids -> kickMatching(ids.get(0), lastTarget),
                            failure -> Log.warnf(failure, "could not dispatch %s", action.getId()));
        } else if (!action.getTarget().isEmpty()) {
            kick(action.getTarget());
        }
    }

    /** Offers the actions waiting in these dimension sets to the matching devices of this replica (the periodic sweep). */
    Uni<Void> offerLocally(List<Long> setIds) {
        return dimensionSets.refresh()
                .chain(() -> Multi.createFrom().iterable(setIds)
                        .onItem().transformToUniAndConcatenate(setId -> offerLocally(setId, null, false))
                        .collect().last())
                .replaceWithVoid();
    }

    /**
     * Offers the actions waiting in a dimension set to the matching devices of this replica, one at
     * a time, until one takes an action or (unless {@code untilOneTakes}) each had its turn; true
     * when one took an action.
     */
    Uni<Boolean> offerLocally(long setId, String last, boolean untilOneTakes) {
        return dimensionSets.byId(setId).chain(set -> set.isEmpty()
                ? Uni.createFrom().item(false)
                : offer(setId, matchingHere(setId, set.get()).stream()
                        .filter(worker -> workers.isAvailable(worker.id()))
                        .sorted(Comparator.<LiveWorker, Boolean>comparing(worker -> worker.info().getTarget().equals(last))
                                .thenComparing(worker -> lastOffered.getOrDefault(worker.id(), 0L)))
                        .toList(), 0, untilOneTakes, false));
    }

    /**
     * The workers of this replica whose devices match a set, computed again only when the live set
     * changed: matching every device of a large farm on each submit would cost more than the claim.
     */
    private List<LiveWorker> matchingHere(long setId, DimensionMatcher set) {
        long changes = workers.changes();
        MatchingWorkers cached = matchingBySet.get(setId);
        if (cached == null || cached.changes() != changes) {
            cached = new MatchingWorkers(changes, workers.all().stream().filter(worker -> set.matches(worker.dimensions())).toList());
            matchingBySet.put(setId, cached);
        }
        return cached.workers();
    }

    /** The workers matching a set, as of a count of the live set's changes. */
    private record MatchingWorkers(long changes, List<LiveWorker> workers) {
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
        lastOffered.put(candidates.get(next).id(), System.nanoTime());
        return claimFor(candidates.get(next)).chain(claimed -> claimed
                ? offer(setId, candidates, next + 1, untilOneTakes, true)
                : queries.anyWaitingIn(setId).chain(waiting -> waiting
                        ? offer(setId, candidates, next + 1, untilOneTakes, taken)
                        : Uni.createFrom().item(taken)));
    }

    /**
     * Claims and pushes the next action of a worker; true when there was one. One claim per device
     * at a time: a claim asked for while one runs is run once more after it (however many were
     * asked for), and answers false at once, so that an offer moves on to the next device instead
     * of queueing a claim that the one-task-per-device rule would refuse.
     */
    private Uni<Boolean> claimFor(LiveWorker worker) {
        boolean[] first = {false};
        claiming.compute(worker.id(), (id, again) -> {
            first[0] = again == null;
            return !first[0];
        });
        return first[0] ? claimOnce(worker).onTermination().invoke(() -> claimAgainIfAsked(worker)) : Uni.createFrom().item(false);
    }

    private void claimAgainIfAsked(LiveWorker worker) {
        if (claiming.compute(worker.id(), (id, again) -> Boolean.TRUE.equals(again) ? Boolean.FALSE : null) != null) {
            claimOnce(worker).onTermination().invoke(() -> claimAgainIfAsked(worker)).subscribe().with(
                    ignored -> { }, failure -> Log.warnf(failure, "could not dispatch for device %s", worker.info().getTarget()));
        }
    }

    private Uni<Boolean> claimOnce(LiveWorker worker) {
        List<Long> sets = dimensionSets.matching(worker.dimensions());
        Uni<Optional<Action>> claim = sets.isEmpty()
                ? ledger.claimNext(worker.info().getTarget(), worker.id(), worker.operations())
                : ledger.claimMatching(worker.info(), sets);
        return claim.chain(claimed -> claimed.isEmpty()
                ? Uni.createFrom().item(false)
                : inputArtifacts.of(claimed.get().getInput()).invoke(inputs -> push(worker, claimed.get(), inputs)).replaceWith(true));
    }

    /** Kicks for a requeued action once its retry is due. */
    public void kickLater(Action action, String lastTarget, Duration delay) {
        vertx.setTimer(Math.max(1, delay.toMillis()), ignored -> kickFor(action, lastTarget));
    }

    public void kickAll(List<String> targetIds) {
        targetIds.forEach(this::kick);
    }
    private void push(LiveWorker worker, Action action, List<Artifact> inputs) {
        changes.publish(action);
        Task task = Task.newBuilder()
                .setActionId(action.getId())
                .setAttempt(action.getAttempt())
                .setOperation(action.getOperation())
                .setInput(action.getInput())
                .setWorkerId(worker.id())
                .setTargetId(action.getTarget())
                .setTargetSerial(worker.targetSerial())
                .addAllInputs(inputs)
                .build();
        Log.debugf("push %s attempt %d to worker %s", action.getId(), action.getAttempt(), worker.id());
        if (!worker.session().push(ControlMessage.newBuilder().setTask(task).build())) {
            // The stream closed between the claim and the push: hold the attempt like any other
            // attempt of a lost worker, so that a reconnect or the lease sweeper settles it.
            ledger.leaseHeldBy(List.of(worker.id()), grace).subscribe().with(
                    ignored -> Log.infof("worker %s closed before task %s was pushed; attempt leased", worker.id(), action.getId()),
                    failure -> Log.warnf(failure, "could not lease %s", action.getId()));
        }
    }
}
