package dev.workcell.controlplane.action;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Vacuums live_actions every few seconds. Each action leaves two or three dead versions of its row
 * there, and autovacuum looks at a database only once a minute (autovacuum_naptime), whatever the
 * table's own threshold: between two visits the queue and guard indexes filled with dead entries that
 * every claim stepped over (15,000 dead rows beside 259 live ones, seen during benchmark 1). A replica
 * that finds another one's vacuum running skips its turn.
 */
@ApplicationScoped
public class LiveQueueVacuum {

    private final Pool pool;

    public LiveQueueVacuum(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(
            every = "${workcell.live-queue.vacuum-interval}",
            delayed = "${workcell.live-queue.vacuum-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> vacuum() {
        return pool.query("VACUUM (SKIP_LOCKED) live_actions")
                .execute()
                .replaceWithVoid()
                .onFailure()
                .invoke(failure -> Log.debugf("could not vacuum live_actions: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull();
    }
}
