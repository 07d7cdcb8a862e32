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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sweep's sets with due work: right whatever waits, and read from a few index entries per set
 * however many actions wait in one ({@link ShadowQueue}).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SetsWithDueWorkTest {

    private static final int BACKLOG = 20_000;
    private static final Pattern BUFFERS = Pattern.compile("Buffers: local hit=(\\d+)");

    @Inject
    @ReactiveDataSource(LedgerPoolCreator.LEDGER_DATASOURCE)
    Pool ledger;

    @Test
    void setsWithADueActionAreFoundFromAFewIndexEntriesEachWhileOneHoldsABacklog() {
        List<List<String>> answers = ledger.withConnection(connection -> answersWithABacklog(connection)
                        .eventually(() -> connection.query("ROLLBACK").execute()))
                .await()
                .atMost(Duration.ofSeconds(60));

        assertThat(answers.get(0))
                .as("the backlog's set and the set with one due action; not the set whose action is not due yet,"
                        + " nor the one whose action runs")
                .containsExactly("-4", "-1");
        Matcher buffers = BUFFERS.matcher(String.join("\n", answers.get(1)));
        assertThat(buffers.find()).as("buffers in the plan: %s", answers.get(1)).isTrue();
        assertThat(Integer.parseInt(buffers.group(1)))
                .as("pages read to answer, with %d actions waiting in one set", BACKLOG)
                .isLessThan(100);
    }

    /** The statement's answer, then its plan, with set -1's backlog, set -2 not due, set -3 running, set -4 due. */
    private static Uni<List<List<String>>> answersWithABacklog(SqlConnection connection) {
        return ShadowQueue.begin(connection, BACKLOG, ShadowQueue.IN_SET, """
                        UNION ALL SELECT 'later', 'QUEUED', 'EXEC', 'l', NULL, -2, 'u', now(), 0, now() + interval '1 hour',
                                         now() + interval '1 day', 60000
                        UNION ALL SELECT 'running', 'DISPATCHED', 'EXEC', 'r', NULL, -3, 'u', now(), 0, now(),
                                         now() + interval '1 day', 60000
                        UNION ALL SELECT 'due', 'QUEUED', 'EXEC', 'd', NULL, -4, 'u', now(), 0, now(),
                                         now() + interval '1 day', 60000""")
                .chain(() -> connection.query(LedgerQueries.SETS_WITH_DUE_WORK).execute())
                .map(SetsWithDueWorkTest::lines)
                .chain(sets -> connection
                        .query("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + LedgerQueries.SETS_WITH_DUE_WORK)
                        .execute()
                        .map(plan -> List.of(sets, lines(plan))));
    }

    private static List<String> lines(Iterable<Row> rows) {
        List<String> lines = new ArrayList<>();
        rows.forEach(row -> lines.add(String.valueOf(row.getValue(0))));
        return lines;
    }
}
