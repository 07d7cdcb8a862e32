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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The queue deadline's index serves the expiry sweep and no reader of the queues: with the queues' own
 * indexes gone and sequential scans priced out, the generic plans of a claim for a device, a claim by
 * dimensions and the probe of a set still do not walk it (an auto_explain sample of benchmark 1 caught a
 * claim doing so, then sorting every waiting action), while the sweep does. The queue is a temporary
 * table that hides {@code live_actions} in one rolled-back transaction ({@link ShadowQueue}).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class QueueDeadlineIndexTest {

    private static final String DROP_QUEUE_INDEXES = """
            DO $$
            DECLARE queue regclass;
            BEGIN
                FOR queue IN SELECT indexrelid::regclass FROM pg_index
                             WHERE indrelid = 'pg_temp.live_actions'::regclass
                               AND pg_get_indexdef(indexrelid) LIKE '%queue_rank, seq%' LOOP
                    EXECUTE 'DROP INDEX ' || queue;
                END LOOP;
            END $$""";

    @Inject
    @ReactiveDataSource(LedgerPoolCreator.LEDGER_DATASOURCE)
    Pool ledger;

    @Test
    void noClaimNorSetProbeCanWalkTheQueueDeadlineIndexWhichTheExpirySweepDoes() {
        Map<String, String> plans = ledger.withConnection(connection -> plansWithoutTheQueueIndexes(connection)
                        .eventually(() -> connection.query("ROLLBACK").execute()))
                .await()
                .atMost(Duration.ofSeconds(60));

        assertThat(plans.get("sweep")).contains("queue_deadline");
        for (String reader : List.of("claim for a device", "claim by dimensions", "probe of a set")) {
            assertThat(plans.get(reader)).as(reader).doesNotContain("queue_deadline");
        }
    }

    private static Uni<Map<String, String>> plansWithoutTheQueueIndexes(SqlConnection connection) {
        Map<String, String> plans = new LinkedHashMap<>();
        return ShadowQueue.begin(connection, 2_000, ShadowQueue.ON_TARGET, "")
                .chain(() -> connection.query(DROP_QUEUE_INDEXES).execute())
                .chain(() -> connection
                        .query("SET LOCAL enable_seqscan = off; SET LOCAL plan_cache_mode = force_generic_plan")
                        .execute())
                .chain(() -> explain(
                        connection,
                        plans,
                        "claim for a device",
                        Ledger.CLAIM_BY_TARGET,
                        "'{backlog-phone}', '{worker}', '{EXEC}', 'replica'"))
                .chain(() -> explain(
                        connection,
                        plans,
                        "claim by dimensions",
                        Ledger.CLAIM_MATCHING,
                        "'backlog-phone', 'worker', '{EXEC}', '{-1}', 'replica', 'host', 'host name', 'phone name'"))
                .chain(() -> explain(connection, plans, "probe of a set", LedgerQueries.FIRST_WAITING_IN_SET, "-1"))
                .chain(() -> connection
                        .query("EXPLAIN (COSTS OFF) " + Ledger.EXPIRE_OVERDUE)
                        .execute())
                .invoke(plan -> plans.put("sweep", text(plan)))
                .map(ignored -> plans);
    }

    private static Uni<Void> explain(
            SqlConnection connection, Map<String, String> plans, String reader, String statement, String arguments) {
        return connection
                .query("PREPARE reader AS " + statement)
                .execute()
                .chain(() -> connection
                        .query("EXPLAIN (COSTS OFF) EXECUTE reader(" + arguments + ")")
                        .execute())
                .invoke(plan -> plans.put(reader, text(plan)))
                .chain(() -> connection.query("DEALLOCATE reader").execute())
                .replaceWithVoid();
    }

    private static String text(Iterable<Row> rows) {
        List<String> lines = new ArrayList<>();
        rows.forEach(row -> lines.add(row.getString(0)));
        return String.join("\n", lines);
    }
}
