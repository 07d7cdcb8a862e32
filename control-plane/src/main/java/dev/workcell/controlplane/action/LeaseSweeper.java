package dev.workcell.controlplane.action;

import dev.workcell.controlplane.cluster.Replicas;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.worker.ReplicaMembership;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The housekeeping after Manager.Init ({@link ReplicaMembership}), periodically: replicas that stopped
 * heartbeating are reaped, attempts whose lease ran out are settled as lost, deadlines are enforced,
 * and targets and dimension sets with due queued work (e.g. a retry whose backoff ended) are dispatched.
 */
@ApplicationScoped
public class LeaseSweeper {

    private final Replicas replicas;
    private final LedgerQueries queries;
    private final LostAttempts lostAttempts;
    private final Deadlines deadlines;
    private final Dispatcher dispatcher;
    private final Vertx vertx;
    private final WorkcellConfig.Lease config;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private long sweepTimer;

    public LeaseSweeper(
            Replicas replicas,
            LedgerQueries queries,
            LostAttempts lostAttempts,
            Deadlines deadlines,
            Dispatcher dispatcher,
            Vertx vertx,
            WorkcellConfig config) {
        this.replicas = replicas;
        this.queries = queries;
        this.lostAttempts = lostAttempts;
        this.deadlines = deadlines;
        this.dispatcher = dispatcher;
        this.vertx = vertx;
        this.config = config.lease();
    }

    /** Once the replica joined (its observer runs first). */
    void start(@Observes StartupEvent event) {
        sweepTimer = vertx.setPeriodic(config.sweepInterval().toMillis(), ignored -> sweep());
    }

    /** Before the replica leaves: a sweep then would dispatch for a replica that is gone. */
    void stop(@Observes @Priority(ReplicaMembership.JOINS_FIRST) ShutdownEvent event) {
        vertx.cancelTimer(sweepTimer);
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
                            return Optional.empty();
                        }))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
