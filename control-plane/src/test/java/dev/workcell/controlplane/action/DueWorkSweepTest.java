package dev.workcell.controlplane.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.db.LedgerPoolCreator;
import dev.workcell.controlplane.testing.PostgresResource;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sweep's look for due work (the sets, and the idle targets, with a due waiting action): right
 * whatever waits, and read from a few index entries per queue however many actions wait in one
 * ({@link ShadowQueue}).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DueWorkSweepTest {

    private static final int BACKLOG = 20_000;
    private static final Pattern BUFFERS = Pattern.compile("Buffers: local hit=(\\d+)");

    @Inject
    @ReactiveDataSource(LedgerPoolCreator.LEDGER_DATASOURCE)
    Pool ledger;

    @Test
    void setsWithADueActionAreFoundFromAFewIndexEntriesEachWhileOneHoldsABacklog() {
        Answer answer = answerWithABacklog(LedgerQueries.SETS_WITH_DUE_WORK, ShadowQueue.IN_SET, """
                UNION ALL SELECT 'later', 'QUEUED', 'EXEC', 'l', NULL, -2, 'u', now(), 0, now() + interval '1 hour',
                                 now() + interval '1 day', 60000
                UNION ALL SELECT 'running', 'DISPATCHED', 'EXEC', 'r', NULL, -3, 'u', now(), 0, now(),
                                 now() + interval '1 day', 60000
                UNION ALL SELECT 'due', 'QUEUED', 'EXEC', 'd', NULL, -4, 'u', now(), 0, now(),
                                 now() + interval '1 day', 60000""");

        assertThat(answer.rows())
                .as("the backlog's set and the set with one due action; not the set whose action is not due yet,"
                        + " nor the one whose action runs")
                .containsExactly("-4", "-1");
        assertThat(answer.pagesRead())
                .as("pages read to answer, with %d actions waiting in one set", BACKLOG)
                .isLessThan(100);
    }

    @Test
    void idleTargetsWithADueActionAreFoundFromAFewIndexEntriesEachWhileOneHoldsABacklog() {
        Answer answer = answerWithABacklog(LedgerQueries.TARGETS_WITH_DUE_WORK, ShadowQueue.ON_TARGET, """
                UNION ALL SELECT 'later', 'QUEUED', 'EXEC', 'l', 'later-phone', NULL, 'u', now(), 0,
                                 now() + interval '1 hour', now() + interval '1 day', 60000
                UNION ALL SELECT 'waiting', 'QUEUED', 'EXEC', 'w', 'busy-phone', NULL, 'u', now(), 0, now(),
                                 now() + interval '1 day', 60000
                UNION ALL SELECT 'running', 'DISPATCHED', 'EXEC', 'r', 'busy-phone', NULL, 'u', now(), 0, now(),
                                 now() + interval '1 day', 60000
                UNION ALL SELECT 'due', 'QUEUED', 'EXEC', 'd', 'due-phone', NULL, 'u', now(), 0, now(),
                                 now() + interval '1 day', 60000""");

        assertThat(answer.rows())
                .as("the backlog's target and the target with one due action; not the target whose action is not"
                        + " due yet, nor the one that runs an action")
                .containsExactlyInAnyOrder("backlog-phone", "due-phone");
        assertThat(answer.pagesRead())
                .as("pages read to answer, with %d actions waiting on one target", BACKLOG)
                .isLessThan(100);
    }

    /** A statement's rows (first column) and the pages its plan read. */
    private record Answer(List<String> rows, int pagesRead) {}

    /** The statement's answer with the backlog in one queue and these rows beside it. */
    private Answer answerWithABacklog(String statement, String backlogQueue, String moreRows) {
        List<List<String>> answers = ledger.withConnection(connection -> ShadowQueue.begin(
                                connection, BACKLOG, backlogQueue, moreRows)
                        .chain(() -> connection.query(statement).execute())
                        .map(DueWorkSweepTest::lines)
                        .chain(rows -> connection
                                .query("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement)
                                .execute()
                                .map(plan -> List.of(rows, lines(plan))))
                        .eventually(() -> connection.query("ROLLBACK").execute()))
                .await()
                .atMost(Duration.ofSeconds(60));
        Matcher buffers = BUFFERS.matcher(String.join("\n", answers.get(1)));
        assertThat(buffers.find()).as("buffers in the plan: %s", answers.get(1)).isTrue();
        return new Answer(answers.get(0), Integer.parseInt(buffers.group(1)));
    }

    private static List<String> lines(Iterable<Row> rows) {
        List<String> lines = new ArrayList<>();
        rows.forEach(row -> lines.add(String.valueOf(row.getValue(0))));
        return lines;
    }
}
