package dev.workcell.controlplane.action;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.worker.WorkerStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Manager.Init and the housekeeping after it. On start-up no agent is connected, so every
 * attempt the ledger shows as DISPATCHED or RUNNING keeps its worker's lease for the grace
 * period. Then, periodically: attempts whose lease ran out are settled as lost, deadlines are
 * enforced, and targets with due queued work (e.g. a retry whose backoff ended) are dispatched.
 */
@ApplicationScoped
public class LeaseSweeper {

    private final Ledger ledger;
    private final LedgerQueries queries;
    private final WorkerStore workerStore;
    private final LostAttempts lostAttempts;
    private final Dispatcher dispatcher;
    private final Vertx vertx;
    private final WorkcellConfig.Lease config;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final Deadlines deadlines;

    public LeaseSweeper(Ledger ledger, LedgerQueries queries, WorkerStore workerStore, LostAttempts lostAttempts,
                        Dispatcher dispatcher, Vertx vertx, WorkcellConfig config, Deadlines deadlines) {
        this.deadlines = deadlines;
        this.ledger = ledger;
        this.queries = queries;
        this.workerStore = workerStore;
        this.lostAttempts = lostAttempts;
        this.dispatcher = dispatcher;
        this.vertx = vertx;
        this.config = config.lease();
    }

    void init(@Observes StartupEvent event) {
        int leased = workerStore.markAllOffline()
                .chain(() -> ledger.leaseAllHeld(config.grace()))
                .await().atMost(Duration.ofSeconds(30));
        Log.infof("ledger loaded: %d attempts in flight keep their lease for %s while their agents reconnect",
                leased, config.grace());
        vertx.setPeriodic(config.sweepInterval().toMillis(), ignored -> sweep());
    }

    private void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        settleExpiredLeases()
                .chain(deadlines::enforce)
                .chain(() -> queries.targetsWithDueWork().invoke(dispatcher::kickAll))
                .eventually(() -> sweeping.set(false))
                .subscribe().with(ignored -> { }, failure -> Log.warnf(failure, "lease sweep failed"));
    }

    private Uni<Void> settleExpiredLeases() {
        return queries.expiredLeases()
                .onItem().transformToMulti(expired -> Multi.createFrom().iterable(expired))
                .onItem().transformToUniAndConcatenate(action -> lostAttempts.settle(action,
                                "worker " + action.getWorker() + " did not come back within " + config.grace())
                        .onFailure().recoverWithItem(failure -> {
                            Log.warnf(failure, "could not settle lost attempt %d of %s", action.getAttempt(), action.getId());
                            return java.util.Optional.empty();
                        }))
                .collect().last()
                .replaceWithVoid();
    }
}
