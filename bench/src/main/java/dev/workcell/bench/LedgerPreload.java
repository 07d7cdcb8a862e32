package dev.workcell.bench;

import java.io.IOException;

/**
 * A long-lived farm's ledger: N finished actions (SUCCEEDED, each with its four events) spread over
 * the registered workers, written with SQL before benchmark 1, so that its figure holds for a ledger
 * that is not nearly empty. Their ids start with "preload-"; nothing in the bench reads them.
 */
final class LedgerPreload {

    private static final String ACTIONS = """
            INSERT INTO actions (id, operation, input, input_hash, host_id, target_id, host_name, target_name, status,
                                 attempt, max_attempts, submitted_by, created_at, updated_at, started_at, finished_at)
            SELECT 'preload-' || g, 'EXEC', ''::bytea, md5('preload-' || g), w.host_id, w.target_id, h.name, t.name,
                   'SUCCEEDED', 1, 4, 'preload', now() - interval '1 day' + g * interval '1 ms',
                   now() - interval '1 day' + g * interval '1 ms', now() - interval '1 day' + g * interval '1 ms',
                   now() - interval '1 day' + g * interval '1 ms'
            FROM generate_series(1, %1$d) g
            JOIN (SELECT host_id, target_id, row_number() OVER (ORDER BY id) - 1 AS n FROM workers) w
              ON w.n = g %% (SELECT count(*) FROM workers)
            JOIN devices h ON h.id = w.host_id
            JOIN devices t ON t.id = w.target_id;
            INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, at, actor)
            SELECT a.id, 1, s.from_status, s.to_status, s.reason, a.finished_at, ''
            FROM actions a
            CROSS JOIN (VALUES (1, NULL, 'QUEUED', 'submitted'), (2, 'QUEUED', 'DISPATCHED', 'dispatched'),
                               (3, 'DISPATCHED', 'RUNNING', 'running'), (4, 'RUNNING', 'SUCCEEDED', 'succeeded'))
                 AS s (n, from_status, to_status, reason)
            WHERE a.id LIKE 'preload-%%'
            ORDER BY a.created_at, s.n;
            """;

    private final Postgres postgres;

    LedgerPreload(Postgres postgres) {
        this.postgres = postgres;
    }

    void load(int actions) throws IOException, InterruptedException {
        long start = System.nanoTime();
        postgres.psql(ACTIONS.formatted(actions));
        postgres.psql("VACUUM ANALYZE");
        System.out.printf(
                "ledger preloaded with %d finished actions and %d events in %.0f s (then VACUUM ANALYZE)%n",
                actions, 4L * actions, (System.nanoTime() - start) / 1e9);
    }
}
