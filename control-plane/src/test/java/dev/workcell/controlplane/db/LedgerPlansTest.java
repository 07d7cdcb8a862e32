package dev.workcell.controlplane.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.PostgresResource;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ledger's hot-path connections plan each statement once and never by a sequential scan of a
 * table an index serves, even while the table is nearly empty; the other connections keep
 * PostgreSQL's defaults (README "The hot path's schema").
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LedgerPlansTest {

    @Inject
    @ReactiveDataSource(LedgerPoolCreator.LEDGER_DATASOURCE)
    Pool ledger;

    @Inject
    Pool pool;

    @Test
    void aStatementPreparedOnTheLedgersConnectionsLooksActionsUpByIndexWhateverTheirNumber() {
        List<String> plan = ledger.withConnection(connection -> connection
                        .query(
                                "PREPARE by_ids(text[]) AS UPDATE actions a SET updated_at = now() FROM unnest($1::text[]) AS u(id)"
                                        + " WHERE a.id = ANY($1) AND a.id = u.id AND a.status = 'DISPATCHED'")
                        .execute()
                        .chain(() -> connection
                                .query("EXPLAIN EXECUTE by_ids('{no-such-action}')")
                                .execute())
                        .call(() -> connection.query("DEALLOCATE by_ids").execute())
                        .map(rows -> {
                            List<String> lines = new ArrayList<>();
                            for (Row row : rows) {
                                lines.add(row.getString(0));
                            }
                            return lines;
                        }))
                .await()
                .atMost(Duration.ofSeconds(10));

        assertThat(String.join("\n", plan)).contains("actions_pkey").doesNotContain("Seq Scan on actions");
    }

    @Test
    void theLedgersConnectionsKeepStatementsLongerThanTheSqlClientsDefaultLimitPrepared() {
        String longStatement = "SELECT count(*) FROM actions WHERE id = $1 /* " + "x".repeat(3_000) + " */";
        long kept = ledger.withConnection(connection -> connection
                        .preparedQuery(longStatement)
                        .execute(Tuple.of("no-such-action"))
                        .chain(() -> connection.preparedQuery(longStatement).execute(Tuple.of("no-such-action")))
                        .chain(() -> connection
                                .preparedQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1")
                                .execute(Tuple.of(longStatement))))
                .map(rows -> rows.iterator().next().getLong(0))
                .await()
                .atMost(Duration.ofSeconds(10));

        assertThat(kept).isEqualTo(1);
    }

    @Test
    void theLedgersConnectionsForceGenericPlansAndScanOnlyAsALastResortTheOthersKeepTheDefaults() {
        assertThat(settings(ledger)).isEqualTo("force_generic_plan off");
        assertThat(settings(pool)).isEqualTo("auto on");
    }

    private static String settings(Pool connections) {
        return connections
                .query("SELECT current_setting('plan_cache_mode') || ' ' || current_setting('enable_seqscan')")
                .execute()
                .map(rows -> rows.iterator().next().getString(0))
                .await()
                .atMost(Duration.ofSeconds(10));
    }
}
