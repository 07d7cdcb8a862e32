package dev.workcell.controlplane.action;

import dev.workcell.controlplane.db.LedgerPoolCreator;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionEvent;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Operation;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads from the action ledger. */
@ApplicationScoped
public class LedgerQueries {

    private final Pool pool;
    /** The ledger's connections, for the dispatcher's reads of the queues (plans that cannot scan as a queue grows). */
    private final Pool hotPath;

    public LedgerQueries(Pool pool, @ReactiveDataSource(LedgerPoolCreator.LEDGER_DATASOURCE) Pool hotPath) {
        this.pool = pool;
        this.hotPath = hotPath;
    }

    /**
     * Filters of a listing; empty or null means "any". {@code submittedBy} is the id of the token that
     * submitted; {@code since} and {@code until} bound the creation time.
     */
    public record Filter(
            List<ActionStatus> statuses,
            List<Operation> operations,
            String target,
            String host,
            OffsetDateTime since,
            String submittedBy,
            OffsetDateTime until) {

        /** The filters of the client API. */
        public Filter(
                List<ActionStatus> statuses,
                List<Operation> operations,
                String target,
                String host,
                OffsetDateTime since) {
            this(statuses, operations, target, host, since, "", null);
        }
    }

    /** Columns a listing can be ordered by; rows that tie are ordered by seq, so that a page ends at one exact place. */
    public enum Column {
        CREATED("seq", "bigint"),
        UPDATED("updated_at", "timestamptz"),
        STATUS("status", "text"),
        OPERATION("operation", "text"),
        TARGET("target_name", "text"),
        HOST("host_name", "text");

        final String sql;
        final String type;

        Column(String sql, String type) {
            this.sql = sql;
            this.type = type;
        }
    }

    /** The order of a listing. */
    public record Sort(Column column, boolean ascending) {
        public static final Sort NEWEST = new Sort(Column.CREATED, false);
    }

    /** Where a page ended: its last action's value of the sort column (as text) and its seq. */
    public record Position(String value, long seq) {}

    /** One page of a listing, with the position to continue after. */
    public record Page(List<Action> actions, Position last, boolean more) {

        public long lastSeq() {
            return last == null ? 0 : last.seq();
        }
    }

    public Uni<Optional<Action>> get(String id) {
        return pool.preparedQuery("SELECT * FROM actions WHERE id = $1")
                .execute(Tuple.of(id))
                .map(LedgerQueries::first);
    }

    public Uni<Optional<Action>> byIdempotencyKey(String key) {
        return pool.preparedQuery("SELECT * FROM actions WHERE idempotency_key = $1")
                .execute(Tuple.of(key))
                .map(LedgerQueries::first);
    }

    /** The most recent action equivalent to the given one (EquivalentAction), if any. */
    public Uni<Optional<Action>> latestEquivalent(Operation operation, String host, String target, String inputHash) {
        return pool.preparedQuery("""
                        SELECT * FROM actions WHERE operation = $1 AND host_id = $2 AND target_id = $3 AND input_hash = $4
                        ORDER BY seq DESC LIMIT 1""")
                .execute(Tuple.of(operation.name(), host, target, inputHash))
                .map(LedgerQueries::first);
    }

    /** A page, newest first, of the actions older than {@code beforeSeq} (0 for the first page). */
    public Uni<Page> list(Filter filter, int pageSize, long beforeSeq) {
        return list(filter, Sort.NEWEST, pageSize, beforeSeq > 0 ? new Position("", beforeSeq) : null);
    }

    /** A page in this order of the actions after {@code after} (null for the first page): keyset paging, no offset. */
    public Uni<Page> list(Filter filter, Sort sort, int pageSize, Position after) {
        List<String> where = new ArrayList<>();
        Tuple args = Tuple.tuple();
        String direction = sort.ascending() ? ">" : "<";
        if (after != null && sort.column() == Column.CREATED) {
            args.addLong(after.seq());
            where.add("seq " + direction + " $" + args.size());
        } else if (after != null) {
            args.addString(after.value()).addLong(after.seq());
            where.add("(" + sort.column().sql + ", seq) " + direction + " ($" + (args.size() - 1) + "::"
                    + sort.column().type + ", $" + args.size() + ")");
        }
        if (!filter.statuses().isEmpty()) {
            args.addArrayOfString(filter.statuses().stream().map(Enum::name).toArray(String[]::new));
            where.add("status = ANY($" + args.size() + ")");
        }
        if (!filter.operations().isEmpty()) {
            args.addArrayOfString(filter.operations().stream().map(Enum::name).toArray(String[]::new));
            where.add("operation = ANY($" + args.size() + ")");
        }
        if (!filter.target().isEmpty()) {
            args.addString(filter.target());
            where.add("target_id IN (SELECT id FROM devices WHERE $" + args.size() + " IN (id, serial, name))");
        }
        if (!filter.host().isEmpty()) {
            args.addString(filter.host());
            where.add("host_id IN (SELECT id FROM devices WHERE $" + args.size() + " IN (id, serial, name))");
        }
        if (filter.since() != null) {
            args.addOffsetDateTime(filter.since());
            where.add("created_at >= $" + args.size());
        }
        if (filter.until() != null) {
            args.addOffsetDateTime(filter.until());
            where.add("created_at < $" + args.size());
        }
        if (filter.submittedBy() != null && !filter.submittedBy().isEmpty()) {
            args.addString(filter.submittedBy());
            where.add("submitted_by = $" + args.size());
        }
        args.addInteger(pageSize + 1);
        String order = sort.ascending() ? " ASC" : " DESC";
        String sql = "SELECT * FROM actions" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY " + (sort.column() == Column.CREATED ? "" : sort.column().sql + order + ", ") + "seq"
                + order
                + " LIMIT $" + args.size();
        return pool.preparedQuery(sql).execute(args).map(rows -> page(rows, sort.column(), pageSize));
    }

    /** The database's snapshot now (pg_snapshot as text): a query that starts later sees at least what it sees. */
    public Uni<String> snapshot() {
        return pool.query("SELECT pg_current_snapshot()::text AS snapshot")
                .execute()
                .map(rows -> rows.iterator().next().getString("snapshot"));
    }

    /** Actions, in their current state and in the order they last changed, with an event the snapshot cannot see; at most limit. */
    public Uni<List<Action>> changedAfter(String snapshot, int limit) {
        return pool.preparedQuery("""
                        SELECT * FROM actions WHERE id IN (
                            SELECT action_id FROM action_events
                            WHERE xid >= pg_snapshot_xmin($1::text::pg_snapshot)
                              AND NOT pg_visible_in_snapshot(xid, $1::text::pg_snapshot))
                        ORDER BY updated_at, seq LIMIT $2""").execute(Tuple.of(snapshot, limit)).map(LedgerQueries::all);
    }

    /** How many actions are queued, dispatched and running now (every one of the three present, 0 when none). */
    public Uni<Map<ActionStatus, Long>> activeCounts() {
        return pool.query("SELECT status, count(*) AS n FROM live_actions GROUP BY status")
                .execute()
                .map(rows -> {
                    Map<ActionStatus, Long> counts = new EnumMap<>(ActionStatus.class);
                    List.of(ActionStatus.QUEUED, ActionStatus.DISPATCHED, ActionStatus.RUNNING)
                            .forEach(status -> counts.put(status, 0L));
                    rows.forEach(row -> counts.put(ActionStatus.valueOf(row.getString("status")), row.getLong("n")));
                    return counts;
                });
    }

    public Uni<List<ActionEvent>> events(String actionId) {
        return pool.preparedQuery("SELECT * FROM action_events WHERE action_id = $1 ORDER BY seq")
                .execute(Tuple.of(actionId))
                .map(rows -> {
                    List<ActionEvent> events = new ArrayList<>();
                    rows.forEach(row -> events.add(ActionRows.event(row)));
                    return events;
                });
    }

    /** DISPATCHED or RUNNING actions held by any of these workers. */
    public Uni<List<Action>> heldBy(List<String> workerIds) {
        return pool.preparedQuery("""
                        SELECT * FROM actions
                        WHERE id IN (SELECT id FROM live_actions WHERE worker_id = ANY($1) AND status IN ('DISPATCHED', 'RUNNING'))""")
                .execute(Tuple.of(workerIds.toArray(String[]::new)))
                .map(LedgerQueries::all);
    }

    /** Held attempts whose grace period is over. */
    public Uni<List<Action>> expiredLeases() {
        return pool.query("""
                        SELECT * FROM actions
                        WHERE id IN (SELECT id FROM live_actions WHERE lease_expires_at < now() AND status IN ('DISPATCHED', 'RUNNING'))""").execute().map(LedgerQueries::all);
    }

    /**
     * RUNNING attempts past their execution timeout. An attempt starts after its dispatch, so only those
     * dispatched longer ago than their timeout are read from actions (live_actions does not follow RUNNING),
     * by their ids: a semi-join let PostgreSQL scan all of actions (13 ms a sweep with 130,000 actions).
     */
    public Uni<List<Action>> overdueAttempts() {
        return pool.query("""
                        SELECT * FROM actions
                        WHERE id = ANY(ARRAY(SELECT id FROM live_actions
                                             WHERE status = 'DISPATCHED'
                                               AND dispatched_at + execution_timeout_ms * interval '1 millisecond' < now()))
                          AND status = 'RUNNING' AND started_at + execution_timeout_ms * interval '1 millisecond' < now()""").execute().map(LedgerQueries::all);
    }

    /**
     * The sets with a due waiting action: the distinct sets of the queue index found one index probe
     * each (a loose index scan), then each set's first due action. A DISTINCT over the due rows read
     * every waiting action each sweep: 31-45 ms a second with benchmark 5's 100,000-action backlog.
     */
    static final String SETS_WITH_DUE_WORK = """
            WITH RECURSIVE sets(id) AS (
                SELECT min(dimension_set_id) FROM live_actions WHERE status = 'QUEUED' AND dimension_set_id IS NOT NULL
                UNION ALL
                SELECT (SELECT min(dimension_set_id) FROM live_actions
                        WHERE status = 'QUEUED' AND dimension_set_id IS NOT NULL AND dimension_set_id > sets.id)
                FROM sets WHERE sets.id IS NOT NULL)
            SELECT id AS dimension_set_id FROM sets
            WHERE id IS NOT NULL
              AND EXISTS (SELECT 1 FROM live_actions
                          WHERE dimension_set_id = sets.id AND status = 'QUEUED' AND not_before <= now())""";

    /** The dimension sets in which actions wait and are due. */
    public Uni<List<Long>> dimensionSetsWithDueWork() {
        return hotPath.query(SETS_WITH_DUE_WORK).execute().map(rows -> {
            List<Long> sets = new ArrayList<>();
            rows.forEach(row -> sets.add(row.getLong("dimension_set_id")));
            return sets;
        });
    }

    /**
     * Targets that run nothing and have a QUEUED action due now: the distinct targets of the queue
     * index found one index probe each (a loose index scan, as {@link #SETS_WITH_DUE_WORK}), then each
     * one's first due action. A DISTINCT over the due rows read every waiting action each sweep: 281 ms
     * a call with 20,000 waiting (benchmark 1's batch submits), a fifth of PostgreSQL's time.
     */
    static final String TARGETS_WITH_DUE_WORK = """
            WITH RECURSIVE targets(id) AS (
                SELECT min(target_id) FROM live_actions WHERE status = 'QUEUED'
                UNION ALL
                SELECT (SELECT min(target_id) FROM live_actions WHERE status = 'QUEUED' AND target_id > targets.id)
                FROM targets WHERE targets.id IS NOT NULL)
            SELECT id AS target_id FROM targets
            WHERE id IS NOT NULL
              AND EXISTS (SELECT 1 FROM live_actions
                          WHERE target_id = targets.id AND status = 'QUEUED' AND not_before <= now())
              AND NOT EXISTS (SELECT 1 FROM live_actions busy
                              WHERE busy.target_id = targets.id AND busy.status IN ('DISPATCHED', 'RUNNING', 'HELD'))""";

    /** Targets that run nothing and have a QUEUED action due now. */
    public Uni<List<String>> targetsWithDueWork() {
        return hotPath.query(TARGETS_WITH_DUE_WORK).execute().map(rows -> {
            List<String> targets = new ArrayList<>();
            rows.forEach(row -> targets.add(row.getString("target_id")));
            return targets;
        });
    }

    /**
     * The first due action waiting in a dimension set, in its queue's order: a read of the set's queue
     * index that stops at the first due entry. Asked as {@code EXISTS}, which drops the order, the
     * generic plan of the ledger's connections walked the queue-deadline index instead, through the
     * queued actions of every set (12–17 ms a call with 100,000 waiting in another set, benchmark 5).
     */
    static final String FIRST_WAITING_IN_SET = """
            SELECT id FROM live_actions
            WHERE dimension_set_id = $1 AND status = 'QUEUED' AND not_before <= now()
            ORDER BY %s LIMIT 1""".formatted(Ledger.FIRST_WAITING);

    /** Whether an action waits in this dimension set and is due. */
    public Uni<Boolean> anyWaitingIn(long setId) {
        return hotPath.preparedQuery(FIRST_WAITING_IN_SET)
                .execute(Tuple.of(setId))
                .map(rows -> rows.size() > 0);
    }

    /**
     * Whether an action of the set has been due for at least this long (a gang that may now reserve its
     * devices); in the set's queue order for the reason {@link #FIRST_WAITING_IN_SET} gives.
     */
    public Uni<Boolean> anyWaitingLongerThan(long setId, java.time.Duration wait) {
        return hotPath.preparedQuery("""
                        SELECT id FROM live_actions
                        WHERE dimension_set_id = $1 AND status = 'QUEUED' AND not_before <= now() - $2 * interval '1 millisecond'
                        ORDER BY %s LIMIT 1""".formatted(Ledger.FIRST_WAITING))
                .execute(Tuple.of(setId, wait.toMillis()))
                .map(rows -> rows.size() > 0);
    }

    private static Page page(RowSet<Row> rows, Column column, int pageSize) {
        List<Action> actions = new ArrayList<>();
        Position last = null;
        boolean more = false;
        for (Row row : rows) {
            if (actions.size() == pageSize) {
                more = true;
                break;
            }
            actions.add(ActionRows.action(row));
            last = new Position(
                    column == Column.CREATED ? "" : String.valueOf(row.getValue(column.sql)), row.getLong("seq"));
        }
        return new Page(actions, last, more);
    }

    private static Optional<Action> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(ActionRows.action(iterator.next())) : Optional.empty();
    }

    private static List<Action> all(RowSet<Row> rows) {
        List<Action> actions = new ArrayList<>();
        rows.forEach(row -> actions.add(ActionRows.action(row)));
        return actions;
    }
}
