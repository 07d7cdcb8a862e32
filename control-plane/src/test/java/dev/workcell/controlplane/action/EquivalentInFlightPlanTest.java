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
 * The insert's look for an equivalent in flight ({@link Ledger#NO_EQUIVALENT_IN_FLIGHT}) on the
 * ledger's connections (generic plans, made once): with the plan made while live_actions was empty
 * and 20,000 actions waiting since, each submit still reads a few index entries, not the whole index.
 * A temporary live_actions hides the real one ({@link ShadowQueue}).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class EquivalentInFlightPlanTest {

    private static final int BACKLOG = 20_000;
    private static final Pattern BUFFERS = Pattern.compile("Buffers: local hit=(\\d+)");
    private static final String SUBMITS =
            "'{new-1,new-2,again}', '{EXEC,EXEC,EXEC}', '{host,host,host}', '{phone,phone,phone}', '{fresh-1,fresh-2,h7}'";

    @Inject
    @ReactiveDataSource(LedgerPoolCreator.LEDGER_DATASOURCE)
    Pool ledger;

    @Test
    void eachSubmitLooksItsEquivalentUpInAPlanMadeWhileNothingWaited() {
        List<List<String>> answers = ledger.withConnection(connection -> answersWithAStalePlan(connection)
                        .eventually(
                                () -> connection.query("DEALLOCATE equivalent").execute())
                        .eventually(() -> connection.query("ROLLBACK").execute()))
                .await()
                .atMost(Duration.ofSeconds(60));

        assertThat(answers.get(0))
                .as("the submits with no equivalent in flight; not the one whose equivalent waits")
                .containsExactlyInAnyOrder("new-1", "new-2");
        Matcher buffers = BUFFERS.matcher(String.join("\n", answers.get(1)));
        assertThat(buffers.find()).as("buffers in the plan: %s", answers.get(1)).isTrue();
        assertThat(Integer.parseInt(buffers.group(1)))
                .as("pages read for 3 submits, with %d actions waiting: %s", BACKLOG, answers.get(1))
                .isLessThan(30);
    }

    /** The statement's answer, then its plan, both from the plan made while live_actions was empty. */
    private static Uni<List<List<String>>> answersWithAStalePlan(SqlConnection connection) {
        return ShadowQueue.beginEmpty(connection)
                .chain(() -> connection.query("ANALYZE live_actions").execute())
                .chain(() -> connection
                        .query("PREPARE equivalent(text[], text[], text[], text[], text[]) AS SELECT u.id"
                                + " FROM unnest($1, $2, $3, $4, $5) AS u(id, operation, host_id, target_id, input_hash)"
                                + " WHERE " + Ledger.NO_EQUIVALENT_IN_FLIGHT)
                        .execute())
                .chain(() ->
                        connection.query("EXECUTE equivalent(" + SUBMITS + ")").execute())
                .chain(() -> connection.query("""
                        INSERT INTO live_actions (id, status, operation, input_hash, host_id, target_id, submitted_by,
                                                  queue_rank, seq, not_before, queue_deadline, execution_timeout_ms)
                        SELECT 'backlog-' || g, 'QUEUED', 'EXEC', 'h' || g, 'host', 'phone', 'bench', now(), g, now(),
                               now() + interval '1 day', 60000
                        FROM generate_series(1, %d) g""".formatted(BACKLOG)).execute())
                .chain(() ->
                        connection.query("EXECUTE equivalent(" + SUBMITS + ")").execute())
                .map(EquivalentInFlightPlanTest::lines)
                .chain(ids -> connection
                        .query("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE equivalent(" + SUBMITS + ")")
                        .execute()
                        .map(plan -> List.of(ids, lines(plan))));
    }

    private static List<String> lines(Iterable<Row> rows) {
        List<String> lines = new ArrayList<>();
        rows.forEach(row -> lines.add(String.valueOf(row.getValue(0))));
        return lines;
    }
}
