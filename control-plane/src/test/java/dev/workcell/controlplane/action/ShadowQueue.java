package dev.workcell.controlplane.action;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A queue of the tests' own for the plan tests: in a transaction the caller rolls back, a temporary
 * {@code live_actions} (with the real one's indexes) hides the real one on this connection and holds a
 * backlog of due actions waiting in one queue, then these rows, then fresh statistics.
 */
final class ShadowQueue {

    /** The backlog's queue, as (target_id, dimension_set_id): dimension set -1. */
    static final String IN_SET = "NULL::text, -1";

    /** The backlog's queue, as (target_id, dimension_set_id): device backlog-phone. */
    static final String ON_TARGET = "'backlog-phone', NULL::bigint";

    private ShadowQueue() {}

    /**
     * @param queue {@link #IN_SET} or {@link #ON_TARGET}
     * @param moreRows a SELECT of more rows in the INSERT's column order (empty for none)
     */
    static Uni<Void> begin(SqlConnection connection, int backlog, String queue, String moreRows) {
        return beginEmpty(connection)
                .chain(() -> connection
                        .query("""
                        INSERT INTO live_actions (id, status, operation, input_hash, target_id, dimension_set_id,
                                                  submitted_by, queue_rank, seq, not_before, queue_deadline,
                                                  execution_timeout_ms)
                        SELECT 'backlog-' || g, 'QUEUED', 'EXEC', md5(g::text), %s, 'bench', now(), g, now(),
                               now() + interval '1 day', 60000
                        FROM generate_series(1, %d) g %s""".formatted(queue, backlog, moreRows))
                        .execute())
                .chain(() -> connection.query("ANALYZE live_actions").execute())
                .replaceWithVoid();
    }

    /** Begins the transaction and hides the real live_actions behind an empty one. */
    static Uni<Void> beginEmpty(SqlConnection connection) {
        return connection
                .query("BEGIN")
                .execute()
                .chain(() -> connection
                        .query("CREATE TEMPORARY TABLE live_actions (LIKE public.live_actions INCLUDING ALL)"
                                + " ON COMMIT DROP")
                        .execute())
                .replaceWithVoid();
    }
}
