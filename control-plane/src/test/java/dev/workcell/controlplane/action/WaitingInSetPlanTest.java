package dev.workcell.controlplane.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.db.LedgerPoolCreator;
import dev.workcell.controlplane.testing.PostgresResource;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whether an action waits in a dimension set is read from that set's entries of its queue index,
 * with the generic plan of the ledger's connections, even when another set holds nearly every
 * queued action (benchmark 5's backlog), so that it does not read the other sets' actions. The
 * backlog lives in a temporary table that hides {@code live_actions} in one rolled-back transaction.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WaitingInSetPlanTest {

    private static final int BACKLOG = 20_000;

    @Inject
    @ReactiveDataSource(LedgerPoolCreator.LEDGER_DATASOURCE)
    Pool ledger;

    @Test
    void aSetWithNothingWaitingIsAnsweredFromItsOwnIndexEntriesWhileAnotherSetHoldsABacklog() {
        List<String> plan = ledger.withConnection(connection -> explainWithABacklogElsewhere(connection)
                        .eventually(() -> connection.query("ROLLBACK").execute())
                        .eventually(() -> connection
                                .query("DEALLOCATE first_waiting")
                                .execute()
                                .onFailure()
                                .recoverWithNull()))
                .await()
                .atMost(Duration.ofSeconds(30));

        assertThat(String.join("\n", plan))
                .contains("Index Cond: (dimension_set_id = $1)")
                .doesNotContain("Rows Removed by Filter");
    }

    /** The plan the ledger's connections run for a set with nothing waiting, while set -1 holds the backlog. */
    private static Uni<List<String>> explainWithABacklogElsewhere(SqlConnection connection) {
        return ShadowQueue.begin(connection, BACKLOG, ShadowQueue.IN_SET, "")
                .chain(() -> connection
                        .query("PREPARE first_waiting(bigint) AS " + LedgerQueries.FIRST_WAITING_IN_SET)
                        .execute())
                .chain(() -> connection
                        .query("EXPLAIN (ANALYZE, COSTS OFF) EXECUTE first_waiting(-2)")
                        .execute())
                .map(WaitingInSetPlanTest::lines);
    }

    private static List<String> lines(Iterable<Row> rows) {
        List<String> lines = new ArrayList<>();
        rows.forEach(row -> lines.add(row.getString(0)));
        return lines;
    }
}
