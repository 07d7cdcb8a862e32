package dev.workcell.controlplane.testing;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;

/** Counts ledger rows straight from PostgreSQL, to prove that refused requests wrote nothing. */
public final class LedgerProbe {

    private final Pool pool;

    public LedgerProbe(Pool pool) {
        this.pool = pool;
    }

    /**
     * Rows a request can write: actions, and the events a caller caused (those with an actor).
     * Transitions the control plane makes by itself meanwhile (an earlier test's attempt lost or
     * retried) have none, so they do not make a refused request look as if it wrote something.
     */
    public long rows() {
        return pool.query(
                        "SELECT (SELECT count(*) FROM actions) + (SELECT count(*) FROM action_events WHERE actor <> '') AS n")
                .execute()
                .map(rows -> rows.iterator().next().getLong("n"))
                .await()
                .atMost(Duration.ofSeconds(10));
    }
}
