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
     * Removes replicas not seen for the timeout; their workers, and live workers no replica holds, go offline, and
     * every held attempt of a worker that is not live starts its grace period ($1 the timeout, $2 the grace, in ms).
     * The attempts are found in live_actions and their actions updated by primary key: written as a semi-join of
     * actions, the statement that runs every second was planned as a sequential scan of actions, 0.3-0.6 s a run
     * on a ledger of 1,000,000 finished actions (benchmark 1 with --preload).
     */
    static final String REAP_DEAD = """
            WITH dead AS (
                DELETE FROM replicas WHERE last_seen < now() - $1 * interval '1 millisecond' RETURNING id),
            gone AS (
                UPDATE workers SET live = false, replica_id = NULL
                WHERE live AND (replica_id IS NULL OR replica_id IN (SELECT id FROM dead)
                                OR replica_id NOT IN (SELECT id FROM replicas))
                RETURNING id)
            UPDATE actions SET lease_expires_at = now() + $2 * interval '1 millisecond'
            WHERE id = ANY (ARRAY(
                    SELECT id FROM live_actions
                    WHERE status = 'DISPATCHED' AND lease_expires_at IS NULL
                      AND (worker_id IN (SELECT id FROM gone) OR worker_id NOT IN (SELECT id FROM workers WHERE live))))
              AND status IN ('DISPATCHED', 'RUNNING') AND lease_expires_at IS NULL""";

    /** Reaps the replicas not seen for the timeout ({@link #REAP_DEAD}); returns how many attempts were leased. */
    public Uni<Integer> reapDead() {
        return pool.preparedQuery(REAP_DEAD)
                .execute(Tuple.of(timeout.toMillis(), grace.toMillis()))
                .map(RowSet::rowCount);
    }
}
