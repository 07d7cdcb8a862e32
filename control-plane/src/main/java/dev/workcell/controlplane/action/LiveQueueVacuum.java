package dev.workcell.controlplane.action;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Vacuums live_actions every few seconds once it holds {@link #DEAD_ROWS} dead rows. Each action leaves
 * two or three dead versions of its row there, and autovacuum looks at a database only once a minute
 * (autovacuum_naptime), whatever the table's own threshold: between two visits the queue and guard
 * indexes filled with dead entries that every claim stepped over (14,789 dead rows beside 259 live
 * ones, seen during benchmark 1). Not more often than needed: a vacuum updates the table's statistics,
 * which makes every connection plan its statements on the table again. A replica that finds another
 * one's vacuum running skips its turn.
 */
@ApplicationScoped
public class LiveQueueVacuum {

    /** The threshold V20 gave autovacuum for this table. */
    static final int DEAD_ROWS = 2_000;

    private final Pool pool;

    public LiveQueueVacuum(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(
            every = "${workcell.live-queue.vacuum-interval}",
            delayed = "${workcell.live-queue.vacuum-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> vacuum() {
        return pool.preparedQuery(
                        "SELECT n_dead_tup >= $1 AS due FROM pg_stat_user_tables WHERE relid = 'live_actions'::regclass")
                .execute(Tuple.of(DEAD_ROWS))
                .chain(rows -> rows.iterator().next().getBoolean("due")
                        ? pool.query("VACUUM (SKIP_LOCKED) live_actions")
                                .execute()
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .onFailure()
                .invoke(failure -> Log.debugf("could not vacuum live_actions: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull();
    }
}
