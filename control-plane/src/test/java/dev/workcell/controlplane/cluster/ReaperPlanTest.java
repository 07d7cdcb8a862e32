package dev.workcell.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The replica reaper ({@link Replicas#REAP_DEAD}) runs every second on every replica: it must reach
 * actions by primary key only, whatever join PostgreSQL would prefer. Written as a semi-join, it was
 * planned as a sequential scan of actions on a ledger of 1,000,000 finished actions; with nested loops
 * priced out here, the old statement hash-joins a sequential scan of actions. A temporary actions of
 * 20,000 finished ones hides the real one in the test's transaction, so that a scan would cost.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ReaperPlanTest {

    private static final int FINISHED = 20_000;

    @Inject
    Pool pool;

    @Test
    void theReaperLooksActionsUpByPrimaryKeyEvenWhenNestedLoopsArePricedOut() {
        List<String> plan = pool.withTransaction(connection -> connection
                        .query("CREATE TEMPORARY TABLE actions (LIKE public.actions INCLUDING ALL) ON COMMIT DROP")
                        .execute()
                        .chain(() -> connection.query("""
                                        INSERT INTO actions (id, operation, input, input_hash, target_id, status,
                                                             max_attempts, worker_id, finished_at)
                                        SELECT 'finished-' || g, 'EXEC', ''::bytea, md5(g::text), 'phone', 'SUCCEEDED',
                                               4, 'worker', now()
                                        FROM generate_series(1, %d) g""".formatted(FINISHED)).execute())
                        .chain(() -> connection.query("ANALYZE actions").execute())
                        .chain(() -> connection
                                .query("SET LOCAL enable_nestloop = off")
                                .execute())
                        .chain(() -> connection
                                .query("PREPARE reap(bigint, bigint) AS " + Replicas.REAP_DEAD)
                                .execute())
                        .chain(() -> connection
                                .query("EXPLAIN (COSTS OFF) EXECUTE reap(10000, 30000)")
                                .execute())
                        .map(ReaperPlanTest::lines)
                        .call(() -> connection.query("DEALLOCATE reap").execute()))
                .await()
                .atMost(Duration.ofSeconds(30));

        String text = String.join("\n", plan);
        assertThat(text).as("the reaper's plan").doesNotContain("Seq Scan on actions");
        int scan = plan.indexOf(plan.stream()
                .filter(line -> line.contains("Scan using actions_pkey on actions"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no look-up by actions_pkey in:\n" + text)));
        assertThat(plan.get(scan + 1))
                .as("the look-up's condition in:\n%s", text)
                .contains("Index Cond: (id = ANY");
    }

    private static List<String> lines(Iterable<Row> rows) {
        List<String> lines = new ArrayList<>();
        rows.forEach(row -> lines.add(row.getString(0)));
        return lines;
    }
}
