package dev.workcell.controlplane.testing;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;

/** Counts ledger rows straight from PostgreSQL, to prove that refused requests wrote nothing. */
public final class LedgerProbe {

    private final Pool pool;

    public LedgerProbe(Pool pool) {
        this.pool = pool;
    }

    /** Rows in actions and action_events together. */
    public long rows() {
        return pool.query("SELECT (SELECT count(*) FROM actions) + (SELECT count(*) FROM action_events) AS n").execute()
                .map(rows -> rows.iterator().next().getLong("n"))
                .await().atMost(Duration.ofSeconds(10));
    }
}
