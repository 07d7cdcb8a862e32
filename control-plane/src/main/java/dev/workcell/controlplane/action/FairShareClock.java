package dev.workcell.controlplane.action;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.db.LedgerPoolCreator;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Each submitter's fair-share clock (submitter_shares) and the queue ranks it gives new actions. A
 * submit moves its submitter's clock one share unit per action, from no earlier than now; each action's
 * queue_rank is the start the clock gave it plus priority x the priority step. A submitter sending nine
 * times as many actions moves its clock nine times as fast, so while two are backlogged their actions
 * alternate; a rank never changes, and every new action is due no earlier than now, so a waiting action
 * is overtaken for a bounded time only.
 *
 * <p>The clock moves in a statement of its own that commits at once, before the actions are inserted:
 * in the insert, it held the submitters' rows locked until the insert committed, and one submitter's
 * inserts queued behind one another. A submit that then creates nothing (its equivalent or its key
 * existed) is given its share unit back, so that re-running a campaign that adds nothing does not put
 * its submitter's next actions behind everyone else's.
 */
@ApplicationScoped
public class FairShareClock {

    /**
     * $1 = the submitters, $2 = the priorities, one per action in submit order; the ranks come back in
     * that order. %1$d = share unit, %2$d = priority step, in milliseconds. Rows are locked in submitter
     * order, so two stamps cannot deadlock.
     */
    private static final String STAMP = """
            WITH u AS (SELECT * FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS u(submitted_by, priority, n)),
            shares AS (
                INSERT INTO submitter_shares AS s (submitter, next_start)
                SELECT submitted_by, now() + count(*) * %1$d * interval '1 millisecond' FROM u
                GROUP BY submitted_by ORDER BY submitted_by
                ON CONFLICT (submitter) DO UPDATE SET next_start = GREATEST(now(), s.next_start) + (excluded.next_start - now())
                RETURNING submitter, next_start)
            SELECT shares.next_start
                   - (count(*) OVER (PARTITION BY u.submitted_by)
                      - row_number() OVER (PARTITION BY u.submitted_by ORDER BY u.n) + 1) * %1$d * interval '1 millisecond'
                   + u.priority * %2$d * interval '1 millisecond' AS queue_rank
            FROM u JOIN shares ON shares.submitter = u.submitted_by
            ORDER BY u.n""";

    /** $1 = a submitter per share unit given back; rows locked in submitter order, as by {@link #STAMP}. */
    private static final String REFUND = """
            WITH refund AS (SELECT submitter, count(*) AS units FROM unnest($1::text[]) AS submitter GROUP BY submitter),
            locked AS (
                SELECT s.submitter, refund.units FROM submitter_shares s JOIN refund USING (submitter)
                ORDER BY s.submitter FOR UPDATE OF s)
            UPDATE submitter_shares s SET next_start = s.next_start - locked.units * %1$d * interval '1 millisecond'
            FROM locked WHERE s.submitter = locked.submitter""";

    private final Pool pool;
    private final String stamp;
    private final String refund;

    public FairShareClock(@ReactiveDataSource(LedgerPoolCreator.LEDGER_DATASOURCE) Pool pool, WorkcellConfig config) {
        this.pool = pool;
        this.stamp = STAMP.formatted(
                config.scheduler().shareUnit().toMillis(),
                config.scheduler().priorityStep().toMillis());
        this.refund = REFUND.formatted(config.scheduler().shareUnit().toMillis());
    }

    /** Moves the submitters' clocks and returns each action's queue rank, in the order given. */
    public Uni<OffsetDateTime[]> queueRanks(List<String> submitters, List<Integer> priorities) {
        return pool.preparedQuery(stamp)
                .execute(Tuple.of(submitters.toArray(String[]::new), priorities.toArray(Integer[]::new)))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map(FairShareClock::queueRank)
                        .toArray(OffsetDateTime[]::new));
    }

    /** Moves the clocks back one share unit per submit that created nothing (one entry per such submit). */
    public Uni<Void> refund(List<String> submitters) {
        return submitters.isEmpty()
                ? Uni.createFrom().voidItem()
                : pool.preparedQuery(refund)
                        .execute(Tuple.of(submitters.toArray(String[]::new)))
                        .replaceWithVoid();
    }

    private static OffsetDateTime queueRank(Row row) {
        return row.getOffsetDateTime("queue_rank");
    }
}
