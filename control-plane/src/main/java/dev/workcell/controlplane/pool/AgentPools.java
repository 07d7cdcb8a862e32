package dev.workcell.controlplane.pool;

import dev.workcell.controlplane.cluster.Replicas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Agent pools as the ledger shows them, read in one statement (one snapshot, so an action is
 * counted either queued or running, never both). A pool exists once an enrollment token names it,
 * before any agent enrolled.
 */
@ApplicationScoped
public class AgentPools {

    /** $1: one pool's name, or NULL for every pool. One row per agent, or one for a pool without agents. */
    private static final String POOLS = """
            WITH pools AS (SELECT DISTINCT pool FROM enrollment_tokens WHERE $1::text IS NULL OR pool = $1),
            members AS (SELECT a.* FROM agents a JOIN pools p ON p.pool = a.pool WHERE a.revoked_at IS NULL),
            served AS (
                SELECT m.pool, m.id AS agent_id, w.id AS worker_id, w.target_id,
                       COALESCE(w.live AND w.replica_id IN (%s), false) AS live,
                       EXISTS (SELECT 1 FROM quarantined_devices qd WHERE qd.device_id = w.target_id) AS quarantined
                FROM members m JOIN workers w ON w.host_id = m.host_id),
            per_agent AS (
                SELECT agent_id, bool_or(live) AS live, count(*) FILTER (WHERE NOT quarantined) AS devices,
                       count(*) FILTER (WHERE quarantined) AS quarantined
                FROM served GROUP BY agent_id),
            running AS (
                SELECT s.agent_id, count(*) AS actions
                FROM served s JOIN live_actions x ON x.worker_id = s.worker_id AND x.status IN ('DISPATCHED', 'RUNNING')
                GROUP BY s.agent_id),
            queues AS (
                SELECT t.pool, count(DISTINCT t.target_id) FILTER (WHERE NOT t.quarantined) AS devices, count(q.id) AS queued,
                       min(q.queued_at) AS oldest
                FROM (SELECT DISTINCT pool, target_id, quarantined FROM served) t
                LEFT JOIN live_actions q ON q.target_id = t.target_id AND q.status = 'QUEUED'
                GROUP BY t.pool)
            SELECT p.pool, COALESCE(qs.devices, 0) AS pool_devices, COALESCE(qs.queued, 0) AS queued,
                   COALESCE(extract(epoch FROM now() - qs.oldest), 0)::float8 AS oldest_queued_seconds,
                   m.id, m.host_id, m.host_name, m.draining_since,
                   COALESCE(pa.live, false) AS live, COALESCE(pa.devices, 0) AS devices,
                   COALESCE(pa.quarantined, 0) AS quarantined, COALESCE(r.actions, 0) AS running
            FROM pools p
            LEFT JOIN queues qs ON qs.pool = p.pool
            LEFT JOIN members m ON m.pool = p.pool
            LEFT JOIN per_agent pa ON pa.agent_id = m.id
            LEFT JOIN running r ON r.agent_id = m.id
            ORDER BY p.pool, m.host_name, m.id""".formatted(Replicas.CONNECTED);

    private final Pool pool;

    public AgentPools(Pool pool) {
        this.pool = pool;
    }

    /** Every pool, by name. */
    public Uni<List<AgentPool>> list() {
        return pool.preparedQuery(POOLS).execute(Tuple.tuple().addString(null)).map(AgentPools::pools);
    }

    /** The pool of this name; empty when no enrollment token names it. */
    public Uni<Optional<AgentPool>> get(String name) {
        return pool.preparedQuery(POOLS)
                .execute(Tuple.tuple().addString(name))
                .map(rows -> pools(rows).stream().findFirst());
    }

    private static List<AgentPool> pools(RowSet<Row> rows) {
        Map<String, Row> firstRowOf = new LinkedHashMap<>();
        Map<String, List<AgentPool.Member>> agentsOf = new LinkedHashMap<>();
        for (Row row : rows) {
            String name = row.getString("pool");
            firstRowOf.putIfAbsent(name, row);
            List<AgentPool.Member> agents = agentsOf.computeIfAbsent(name, ignored -> new ArrayList<>());
            if (row.getString("id") != null) {
                agents.add(member(row));
            }
        }
        return firstRowOf.values().stream()
                .map(row -> AgentPool.of(
                        row.getString("pool"),
                        row.getLong("pool_devices").intValue(),
                        row.getLong("queued").intValue(),
                        row.getDouble("oldest_queued_seconds"),
                        agentsOf.get(row.getString("pool"))))
                .toList();
    }

    private static AgentPool.Member member(Row row) {
        int running = row.getLong("running").intValue();
        return new AgentPool.Member(
                row.getString("id"),
                row.getString("host_id"),
                row.getString("host_name"),
                row.getBoolean("live"),
                row.getOffsetDateTime("draining_since") != null,
                row.getOffsetDateTime("draining_since"),
                row.getLong("devices").intValue(),
                row.getLong("quarantined").intValue(),
                running,
                running == 0);
    }
}
