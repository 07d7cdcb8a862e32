package dev.workcell.controlplane.action;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.Replicas;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.worker.WorkerStore;
import dev.workcell.controlplane.worker.Workers;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Manager.Init and the housekeeping after it. On start-up the replica joins the cluster, and every
 * attempt held by a worker no live replica holds keeps its worker's lease for the grace period
 * (after a single control plane restarts, that is every attempt once its old replica times out). Then, periodically: attempts whose lease ran out are settled as lost, deadlines are
 * enforced, and targets and dimension sets with due queued work (e.g. a retry whose backoff ended) are dispatched.
 */
@ApplicationScoped
public class LeaseSweeper {

    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final LedgerQueries queries;
    private final WorkerStore workerStore;
    private final LostAttempts lostAttempts;
    private final Dispatcher dispatcher;
    private final Vertx vertx;
    private final WorkcellConfig.Lease config;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final Deadlines deadlines;
    private final Replicas replicas;
    private final ClusterBus bus;
    private final Workers workers;
    private long sweepTimer;
    private long heartbeatTimer;

    public LeaseSweeper(
            LedgerQueries queries,
            WorkerStore workerStore,
            LostAttempts lostAttempts,
            Dispatcher dispatcher,
            Vertx vertx,
            WorkcellConfig config,
            Deadlines deadlines,
            Replicas replicas,
            ClusterBus bus,
            Workers workers) {
        this.deadlines = deadlines;
        this.replicas = replicas;
        this.bus = bus;
        this.workers = workers;
        this.queries = queries;
        this.workerStore = workerStore;
        this.lostAttempts = lostAttempts;
        this.dispatcher = dispatcher;
        this.vertx = vertx;
        this.config = config.lease();
    }

    void init(@Observes StartupEvent event) {
        int leased = replicas.join()
                .chain(replicas::reapDead)
                .call(bus::listen)
                .await()
                .atMost(Duration.ofSeconds(30));
        Log.infof(
                "replica %s joined; ledger loaded: %d attempts of workers no live replica holds keep their lease for %s"
                        + " while their agents reconnect",
                replicas.id(), leased, config.grace());
        sweepTimer = vertx.setPeriodic(config.sweepInterval().toMillis(), ignored -> sweep());
        heartbeatTimer = vertx.setPeriodic(HEARTBEAT.toMillis(), ignored -> heartbeat());
    }

    /** Stops the housekeeping first: a heartbeat after leaving would join the cluster again. */
    void leave(@Observes ShutdownEvent event) {
        vertx.cancelTimer(sweepTimer);
        vertx.cancelTimer(heartbeatTimer);
        bus.close();
        int leased = replicas.leave().await().atMost(Duration.ofSeconds(10));
        Log.infof("replica %s left; %d attempts of its workers leased for %s", replicas.id(), leased, config.grace());
    }

    /** Keeps this replica present; if the others declared it dead meanwhile, it joins again with its workers. */
    private void heartbeat() {
        replicas.heartbeat()
                .chain(present -> present ? Uni.createFrom().voidItem() : rejoin())
                .subscribe()
                .with(ignored -> {}, failure -> Log.warnf("replica heartbeat failed: %s", failure.getMessage()));
    }

    private Uni<Void> rejoin() {
        Log.warnf("replica %s was declared dead by another replica; joining again", replicas.id());
        return replicas.join().chain(() -> workerStore.markLive(workers.localWorkers(), replicas.id()));
    }

    private void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        replicas.reapDead()
                .chain(this::settleExpiredLeases)
                .chain(deadlines::enforce)
                .chain(() -> queries.targetsWithDueWork().invoke(targets -> targets.forEach(dispatcher::kickLocal)))
                .chain(queries::dimensionSetsWithDueWork)
                .chain(dispatcher::offerLocally)
                .eventually(() -> sweeping.set(false))
                .subscribe()
                .with(ignored -> {}, failure -> Log.warnf(failure, "lease sweep failed"));
    }

    private Uni<Void> settleExpiredLeases() {
        return queries.expiredLeases()
                .onItem()
                .transformToMulti(expired -> Multi.createFrom().iterable(expired))
                .onItem()
                .transformToUniAndConcatenate(action -> lostAttempts
                        .settle(action, "worker " + action.getWorker() + " did not come back within " + config.grace())
                        .onFailure()
                        .recoverWithItem(failure -> {
                            Log.warnf(
                                    failure,
                                    "could not settle lost attempt %d of %s",
                                    action.getAttempt(),
                                    action.getId());
                            return java.util.Optional.empty();
                        }))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
