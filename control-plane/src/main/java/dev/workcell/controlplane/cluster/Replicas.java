package dev.workcell.controlplane.cluster;

import dev.workcell.controlplane.config.WorkcellConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * The replicas table: this control plane's presence among the others sharing the database, and
 * the clean-up after a replica that died (its workers offline, their attempts leased).
 */
@ApplicationScoped
public class Replicas {

    private static final String CONNECTION_PREFIX = "workcell-replica ";

    /**
     * The ids of the replicas whose process is connected to the database now (SQL). Each replica's
     * LISTEN connection carries its id as application_name, and PostgreSQL drops it the moment the
     * process dies, long before the replica's row times out.
     */
    public static final String CONNECTED = "SELECT substr(application_name, " + (CONNECTION_PREFIX.length() + 1) + ")"
            + " FROM pg_stat_activity WHERE application_name LIKE '" + CONNECTION_PREFIX + "%'";

    private final String id = UUID.randomUUID().toString();
    private final Pool pool;
    private final Duration timeout;
    private final Duration grace;

    public Replicas(Pool pool, WorkcellConfig config) {
        this.pool = pool;
        this.timeout = config.cluster().replicaTimeout();
        this.grace = config.lease().grace();
    }

    /** This replica's id. */
    public String id() {
        return id;
    }

    /** The application_name of this replica's LISTEN connection (see {@link #CONNECTED}). */
    public String connectionName() {
        return CONNECTION_PREFIX + id;
    }

    public Uni<Void> join() {
        return pool.preparedQuery(
                        "INSERT INTO replicas (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET last_seen = now()")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** Refreshes this replica's presence; false when others had already declared it dead. */
    public Uni<Boolean> heartbeat() {
        return pool.preparedQuery("UPDATE replicas SET last_seen = now() WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Leaves the cluster at shutdown: this replica's workers go offline and their attempts start their grace. */
    public Uni<Integer> leave() {
        return pool.preparedQuery("UPDATE replicas SET last_seen = '-infinity' WHERE id = $1")
                .execute(Tuple.of(id))
                .chain(this::reapDead);
    }

    /**
     * Removes replicas not seen for the timeout; their workers, and live workers no replica holds,
     * go offline, and every held attempt of a worker that is not live starts its grace period.
     * Returns how many attempts were leased. The workers gone are found through the replicas that
     * hold live workers ({@code holders}, a loose scan of workers_live_by_replica: one index probe
     * per replica), not by reading every worker each second. The attempts to lease are the held rows of
     * live_actions whose worker (read by key) is not live, updated by key through an array: as a join or a
     * NOT EXISTS, one plan walked every action's key (100-440 ms a second in benchmark 5) and another ran
     * the live_actions read once per action (64 s for one call).
     */
    public Uni<Integer> reapDead() {
        return pool.preparedQuery("""
                        WITH RECURSIVE holders(id) AS (
                            SELECT min(replica_id) FROM workers WHERE live
                            UNION ALL
                            SELECT (SELECT min(replica_id) FROM workers WHERE live AND replica_id > holders.id)
                            FROM holders WHERE holders.id IS NOT NULL),
                        dead AS (
                            DELETE FROM replicas WHERE last_seen < now() - $1 * interval '1 millisecond' RETURNING id),
                        orphaned AS (
                            UPDATE workers w SET live = false, replica_id = NULL
                            FROM (SELECT id FROM holders WHERE id IN (SELECT id FROM dead) OR id NOT IN (SELECT id FROM replicas)) gone
                            WHERE w.live AND w.replica_id = gone.id
                            RETURNING w.id),
                        unheld AS (
                            UPDATE workers SET live = false WHERE live AND replica_id IS NULL RETURNING id)
                        UPDATE actions SET lease_expires_at = now() + $2 * interval '1 millisecond'
                        WHERE id = ANY(ARRAY(
                                SELECT l.id FROM live_actions l
                                WHERE l.status IN ('DISPATCHED', 'RUNNING') AND l.lease_expires_at IS NULL
                                  AND (l.worker_id IN (SELECT id FROM orphaned UNION ALL SELECT id FROM unheld)
                                       OR (SELECT w.live FROM workers w WHERE w.id = l.worker_id) IS NOT TRUE)))
                          AND status IN ('DISPATCHED', 'RUNNING') AND lease_expires_at IS NULL""")
                .execute(Tuple.of(timeout.toMillis(), grace.toMillis()))
                .map(RowSet::rowCount);
    }
}
