package dev.workcell.controlplane.worker;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.Replicas;
import dev.workcell.controlplane.config.WorkcellConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Manager.Init: on start-up the replica joins the cluster, and every attempt held by a worker no live
 * replica holds keeps its worker's lease for the grace period (after a single control plane restarts,
 * that is every attempt once its old replica times out); then it heartbeats to stay present, and on
 * shutdown leaves, its workers' attempts leased for the grace period.
 */
@ApplicationScoped
public class ReplicaMembership {

    /** Before the observers of the default priority: the housekeeping that needs the replica joined. */
    public static final int JOINS_FIRST = 1000;

    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final Replicas replicas;
    private final ClusterBus bus;
    private final WorkerStore workerStore;
    private final Workers workers;
    private final Vertx vertx;
    private final Duration grace;
    private long heartbeatTimer;

    public ReplicaMembership(
            Replicas replicas,
            ClusterBus bus,
            WorkerStore workerStore,
            Workers workers,
            Vertx vertx,
            WorkcellConfig config) {
        this.replicas = replicas;
        this.bus = bus;
        this.workerStore = workerStore;
        this.workers = workers;
        this.vertx = vertx;
        this.grace = config.lease().grace();
    }

    void join(@Observes @Priority(JOINS_FIRST) StartupEvent event) {
        int leased = replicas.join()
                .chain(replicas::reapDead)
                .call(bus::listen)
                .await()
                .atMost(Duration.ofSeconds(30));
        Log.infof(
                "replica %s joined; ledger loaded: %d attempts of workers no live replica holds keep their lease for %s"
                        + " while their agents reconnect",
                replicas.id(), leased, grace);
        heartbeatTimer = vertx.setPeriodic(HEARTBEAT.toMillis(), ignored -> heartbeat());
    }

    /** Stops the heartbeat first: one after leaving would join the cluster again. */
    void leave(@Observes ShutdownEvent event) {
        vertx.cancelTimer(heartbeatTimer);
        bus.close();
        int leased = replicas.leave().await().atMost(Duration.ofSeconds(10));
        Log.infof("replica %s left; %d attempts of its workers leased for %s", replicas.id(), leased, grace);
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
}
