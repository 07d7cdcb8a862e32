package dev.workcell.controlplane.action;

import dev.workcell.controlplane.cluster.Replicas;
import dev.workcell.controlplane.db.GroupCommit;
import dev.workcell.controlplane.db.LedgerPoolCreator;
import dev.workcell.controlplane.db.PgErrors;
import dev.workcell.controlplane.metrics.WorkcellMetrics;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.Worker;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Writes to the action ledger. Every change of an action is one SQL statement that updates the
 * current state and appends its action_events row together, guarded by the expected status,
 * attempt and holder, so a stale or duplicate update changes nothing. Transient database errors
 * are retried; the guards make a retried write harmless.
 */
@ApplicationScoped
public class Ledger {

    /** $1 = action id, $2 = reason; %1$s = SET clause, %2$s = guard, %3$s = who caused it (SQL). */
    private static final String TRANSITION = """
            WITH old AS (SELECT id, status AS from_status FROM actions WHERE id = $1 FOR UPDATE),
            changed AS (
                UPDATE actions a SET %1$s, updated_at = now()
                FROM old WHERE a.id = old.id AND %2$s
                RETURNING a.*, old.from_status),
            event AS (
                INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, worker_id, actor, failure)
                SELECT id, attempt, from_status, status, $2, worker_id, %3$s, %4$s FROM changed)
            SELECT * FROM changed""";

    /** The failure class an event records: the one of the attempt it ends, '' for any other event (read by quarantine). */
    private static final String ENDED_ATTEMPT_FAILURE =
            "CASE WHEN from_status IN ('DISPATCHED', 'RUNNING') AND status NOT IN ('DISPATCHED', 'RUNNING') THEN failure ELSE '' END";

    /**
     * Which waiting action goes first, as an ORDER BY over actions: the one due first. Its
     * queue_rank, stamped at submit by the {@link FairShareClock}, is its submitter's fair-share start
     * plus its priority times the priority step; seq (submission order) breaks ties. The queue indexes
     * (actions_queue, actions_dimension_queue) are in this order, so a claim reads them from the front.
     */
    static final String FIRST_WAITING = "queue_rank, seq";

    /** {@link #FIRST_WAITING} over the columns of one row of a join. */
    static String firstWaitingOf(String row) {
        return row + ".queue_rank, " + row + ".seq";
    }

    /**
     * Whether a device may take a waiting action now (SQL): it is approved, its worker is held by this
     * replica in the database and its agent neither revoked nor draining (share-locked, so that a
     * drain waits for a claim in flight), it is not quarantined (but for its probation probe), and
     * it runs nothing. %1$s = the device's id, %2$s = the worker's id, %3$s = this replica's id,
     * %4$s = the waiting action's row.
     */
    private static final String DEVICE_TAKES_WORK = """
            EXISTS (SELECT 1 FROM devices d WHERE d.id = %1$s AND d.approved)
            AND EXISTS (SELECT 1 FROM agents g
                        WHERE g.host_id = (SELECT w.host_id FROM workers w WHERE w.id = %2$s AND w.replica_id = %3$s)
                          AND g.revoked_at IS NULL AND g.draining_since IS NULL
                        FOR SHARE)
            AND NOT EXISTS (SELECT 1 FROM quarantined_devices qd
                            WHERE qd.device_id = %1$s AND qd.probe_action_id IS DISTINCT FROM %4$s.id)
            AND NOT EXISTS (SELECT 1 FROM live_actions busy
                            WHERE busy.target_id = %1$s AND busy.status IN ('DISPATCHED', 'RUNNING', 'HELD'))""";

    /**
     * Whether devices may be held as a gang's companions beside a device of a host (SQL; %1$s = the host's
     * id, %2$s = the companions' ids as text[]): each is a device of that host, approved, not quarantined,
     * and neither runs an attempt nor is held by one.
     */
    private static final String COMPANIONS_TAKE_WORK = """
            (SELECT count(DISTINCT d.id) FROM devices d JOIN workers w ON w.target_id = d.id AND w.host_id = %1$s
             WHERE d.id = ANY(%2$s) AND d.approved) = cardinality(%2$s)
            AND NOT EXISTS (SELECT 1 FROM quarantined_devices qd WHERE qd.device_id = ANY(%2$s))
            AND NOT EXISTS (SELECT 1 FROM live_actions busy
                            WHERE busy.target_id = ANY(%2$s) AND busy.status IN ('DISPATCHED', 'RUNNING', 'HELD'))""";

    /**
     * Whether a waiting action's submitter is below its quota, if it has one (SQL; %1$s = the
     * action's row). Read while walking a queue, so that the claim skips such actions and takes the
     * next; the trigger actions_claim_within_quota is the exact check against concurrent claims.
     */
    private static final String WITHIN_QUOTA = """
            NOT EXISTS (SELECT 1 FROM submitter_quotas quota
                        WHERE quota.submitter = %1$s.submitted_by
                          AND quota.max_running <= (SELECT count(*) FROM live_actions running
                                                    WHERE running.submitted_by = quota.submitter
                                                      AND running.status IN ('DISPATCHED', 'RUNNING')))""";

    /**
     * The status a report found (SQL over the reported row as it returns): a claim clears started_at
     * and RUNNING sets it, so a row that ends its attempt with one was RUNNING. Read from the row itself rather than by a locking
     * pre-read, which cost a scan whenever PostgreSQL's plan for it went wrong.
     */
    private static final String STATUS_BEFORE_REPORT =
            "CASE WHEN a.status = 'RUNNING' THEN 'DISPATCHED' WHEN a.started_at IS NULL THEN 'DISPATCHED' ELSE 'RUNNING' END";

    private static final String HELD_BY =
            "a.status IN ('DISPATCHED', 'RUNNING') AND a.attempt = $3 AND a.worker_id = $4";

    /**
     * Rows per statement, and statements of one kind written at once. Two claims and two reports in
     * flight let the next batch gather while one commits; with eight, batches held 1.7 rows on average
     * and PostgreSQL spent 2.7 ms of CPU per action against 1.95 ms with two (benchmark 1, same machine).
     */
    private static final int MAX_BATCH = 256;

    private static final int MAX_IN_FLIGHT = 2;
    /** Waiting actions a matching claim considers per queue: room to skip those another claim holds locked. */
    private static final int CANDIDATES_PER_QUEUE = 4;

    private final Pool pool;
    private final GroupCommit<Insert, Optional<Action>> inserts;
    private final GroupCommit<MatchingInsert, Optional<Action>> matchingInserts;
    private final GroupCommit<Claim, Optional<Action>> claims;
    private final GroupCommit<Report, Optional<Action>> reports;

    private final Replicas replicas;
    private final FairShareClock fairShares;

    public Ledger(
            @ReactiveDataSource(LedgerPoolCreator.LEDGER_DATASOURCE) Pool pool,
            Replicas replicas,
            FairShareClock fairShares,
            WorkcellMetrics metrics) {
        this.pool = pool;
        this.replicas = replicas;
        this.fairShares = fairShares;
        this.inserts = new GroupCommit<>(
                metrics.batches("insert", this::insertAll),
                insert -> insert.action().id(),
                MAX_BATCH,
                MAX_IN_FLIGHT);
        this.matchingInserts = new GroupCommit<>(
                metrics.batches("insert-matching", this::insertMatchingAll),
                insert -> insert.action().id(),
                MAX_BATCH,
                MAX_IN_FLIGHT);
        this.claims =
                new GroupCommit<>(metrics.batches("claim", this::claimAll), Claim::targetId, MAX_BATCH, MAX_IN_FLIGHT);
        this.reports =
                new GroupCommit<>(metrics.batches("report", this::reportAll), Report::id, MAX_BATCH, MAX_IN_FLIGHT);
    }

    /** A validated action about to be written; unless forced, it is not written while its latest equivalent succeeded. */
    public record NewAction(
            String id,
            Operation operation,
            byte[] input,
            String inputHash,
            Worker owner,
            int maxAttempts,
            String idempotencyKey,
            Duration queueTimeout,
            Duration executionTimeout,
            boolean force,
            String submittedBy,
            int priority) {}

    /**
     * Inserts a QUEUED action with its creation event; empty when the same key exists, when an
     * equivalent action is in flight, or (unless forced) when the latest equivalent succeeded.
     */
    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> insert(NewAction action, String reason) {
        return inserts.submit(new Insert(action, reason))
                // an equivalent inserted by a concurrent statement: live_actions' unique index is the last word
                .onFailure(PgErrors::isUniqueViolation)
                .recoverWithItem(Optional.empty());
    }

    private record Insert(NewAction action, String reason) {}

    /**
     * Inserts the actions of a batch submit as {@link #insert} does one, with one statement whatever
     * their number; one result per action, in order. Should the database refuse the statement as a
     * whole (a deadlock with another batch), each action is inserted on its own.
     */
    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<List<Optional<Action>>> insertBatch(List<NewAction> actions, List<String> reasons) {
        List<Insert> batch = java.util.stream.IntStream.range(0, actions.size())
                .mapToObj(i -> new Insert(actions.get(i), reasons.get(i)))
                .toList();
        return batch.isEmpty()
                ? Uni.createFrom().item(List.of())
                : insertAll(batch)
                        .onFailure(io.vertx.pgclient.PgException.class)
                        .recoverWithUni(() -> Uni.join()
                                .all(batch.stream()
                                        .map(insert -> insert(insert.action(), insert.reason()))
                                        .toList())
                                .andFailFast());
    }

    /**
     * Whether no equivalent of the submit u is in flight (SQL): one look-up of live_actions' unique
     * index per submit. Asked as NOT EXISTS, PostgreSQL may plan an anti-join that reads the whole
     * index, and the ledger's generic plan, made while live_actions held a few rows, did so for every
     * insert once thousands waited: 20,204 buffers and 39 ms for two submits with 20,000 waiting
     * ({@code EquivalentInFlightPlanTest}).
     */
    static final String NO_EQUIVALENT_IN_FLIGHT = """
            (SELECT l.id FROM live_actions l
             WHERE l.operation = u.operation AND l.host_id = u.host_id AND l.target_id = u.target_id
               AND l.input_hash = u.input_hash AND l.dimension_set_id IS NULL
             LIMIT 1) IS NULL""";

    private static final String INSERT = """
            WITH u AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[], $5::text[], $6::text[], $7::int[],
                                     $8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::bool[], $13::text[],
                                     $14::text[], $15::text[], $16::int[], $17::timestamptz[]) WITH ORDINALITY
                    AS u(id, operation, input, input_hash, host_id, target_id, max_attempts, idempotency_key, reason,
                         queue_ms, execution_ms, force, submitted_by, host_name, target_name, priority, queue_rank, n)),
            created AS (
                INSERT INTO actions (id, operation, input, input_hash, host_id, target_id, status, max_attempts,
                                     idempotency_key, queue_deadline, execution_timeout_ms, submitted_by, host_name, target_name,
                                     priority, queue_rank)
                SELECT u.id, operation, input, input_hash, host_id, target_id, 'QUEUED', max_attempts, idempotency_key,
                       now() + queue_ms * interval '1 millisecond', execution_ms, submitted_by, host_name, target_name,
                       priority, queue_rank
                FROM u
                WHERE %1$s
                  AND (u.force OR (SELECT latest.status FROM actions latest
                                  WHERE latest.operation = u.operation AND latest.target_id = u.target_id
                                    AND latest.input_hash = u.input_hash AND latest.host_id = u.host_id
                                  ORDER BY latest.seq DESC LIMIT 1) IS DISTINCT FROM 'SUCCEEDED')
                ORDER BY n
                ON CONFLICT DO NOTHING
                RETURNING *),
            event AS (
                INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, actor)
                SELECT c.id, c.attempt, NULL, c.status, u.reason, c.submitted_by FROM created c JOIN u ON u.id = c.id)
            SELECT * FROM created""".formatted(NO_EQUIVALENT_IN_FLIGHT);

    private Uni<List<Optional<Action>>> insertAll(List<Insert> batch) {
        return insertBatch(
                batch,
                INSERT,
                Ledger::insertParameters,
                insert -> insert.action().id(),
                insert -> insert.action().submittedBy(),
                insert -> insert.action().priority());
    }

    /**
     * Moves the submitters' fair-share clocks for a batch, inserts it with one statement given each
     * item's queue rank, and gives back the share units of the items that created nothing.
     */
    private <T> Uni<List<Optional<Action>>> insertBatch(
            List<T> batch,
            String statement,
            BiFunction<List<T>, java.time.OffsetDateTime[], Tuple> parameters,
            Function<T, String> id,
            Function<T, String> submitter,
            Function<T, Integer> priority) {
        return fairShares
                .queueRanks(
                        batch.stream().map(submitter).toList(),
                        batch.stream().map(priority).toList())
                .chain(queueRanks -> pool.preparedQuery(statement).execute(parameters.apply(batch, queueRanks)))
                .map(rows -> matched(rows, "id", batch, id))
                .call(results -> refundUncreated(batch, results, submitter));
    }

    /** {@link #INSERT}'s parameters: one array per column, an element per submit. */
    private static Tuple insertParameters(List<Insert> batch, java.time.OffsetDateTime[] queueRanks) {
        return Tuple.tuple()
                .addValue(column(batch, insert -> insert.action().id()))
                .addValue(column(batch, insert -> insert.action().operation().name()))
                .addValue(batch.stream()
                        .map(insert -> io.vertx.core.buffer.Buffer.buffer(
                                insert.action().input()))
                        .toArray(io.vertx.core.buffer.Buffer[]::new))
                .addValue(column(batch, insert -> insert.action().inputHash()))
                .addValue(column(batch, insert -> insert.action().owner().getHost()))
                .addValue(column(batch, insert -> insert.action().owner().getTarget()))
                .addValue(batch.stream()
                        .map(insert -> insert.action().maxAttempts())
                        .toArray(Integer[]::new))
                .addValue(column(batch, insert -> insert.action().idempotencyKey()))
                .addValue(column(batch, Insert::reason))
                .addValue(batch.stream()
                        .map(insert -> insert.action().queueTimeout().toMillis())
                        .toArray(Long[]::new))
                .addValue(batch.stream()
                        .map(insert -> insert.action().executionTimeout().toMillis())
                        .toArray(Long[]::new))
                .addValue(batch.stream().map(insert -> insert.action().force()).toArray(Boolean[]::new))
                .addValue(column(batch, insert -> insert.action().submittedBy()))
                .addValue(column(batch, insert -> insert.action().owner().getHostName()))
                .addValue(column(batch, insert -> insert.action().owner().getTargetName()))
                .addValue(
                        batch.stream().map(insert -> insert.action().priority()).toArray(Integer[]::new))
                .addValue(queueRanks);
    }

    /**
     * Gives the submitters of the items that created nothing their share units back. The actions are
     * committed by then, so a failure here is logged, not returned: a retried insert would find them.
     */
    private <T> Uni<Void> refundUncreated(
            List<T> batch, List<Optional<Action>> results, Function<T, String> submitter) {
        List<String> uncreated = java.util.stream.IntStream.range(0, batch.size())
                .filter(i -> results.get(i).isEmpty())
                .mapToObj(i -> submitter.apply(batch.get(i)))
                .toList();
        return fairShares
                .refund(uncreated)
                .onFailure()
                .invoke(failure -> io.quarkus.logging.Log.warnf(
                        failure, "could not give back %d fair-share units", uncreated.size()))
                .onFailure()
                .recoverWithNull();
    }

    /**
     * Claims for a worker the due QUEUED action of its target that goes first ({@link #FIRST_WAITING})
     * among those whose submitter is below its quota, if {@link #DEVICE_TAKES_WORK}. Safe under
     * concurrency: skipped locks and the one-active-per-target index make a losing claim come back
     * empty, and the claim share-locks the agent's row, so a drain waits for a claim in flight and a
     * later claim sees the drain.
     */
    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> claimNext(String targetId, String workerId, List<Operation> operations) {
        return claims.submit(new Claim(targetId, workerId, operations))
                .onFailure(PgErrors::isUniqueViolation)
                .recoverWithItem(Optional.empty());
    }

    private record Claim(String targetId, String workerId, List<Operation> operations) {}

    static final String CLAIM_BY_TARGET = """
            WITH next AS (
                SELECT q.id, k.worker_id
                FROM unnest($1::text[], $2::text[], $3::text[]) AS k(target_id, worker_id, operations)
                CROSS JOIN LATERAL (
                    SELECT a.id FROM live_actions l JOIN actions a ON a.id = l.id
                    WHERE l.target_id = k.target_id AND l.status = 'QUEUED' AND l.not_before <= now()
                      AND l.operation = ANY(string_to_array(k.operations, ','))
                      AND a.status = 'QUEUED'
                      AND %2$s
                      AND %3$s
                    ORDER BY %1$s LIMIT 1 FOR UPDATE OF a SKIP LOCKED) q),
            changed AS (
                UPDATE actions a SET status = 'DISPATCHED', worker_id = next.worker_id, lease_expires_at = NULL,
                    started_at = NULL, updated_at = now()
                FROM next WHERE a.id = ANY(ARRAY(SELECT id FROM next)) AND a.id = next.id AND a.status = 'QUEUED'
                RETURNING a.*, 'QUEUED'::text AS from_status),
            event AS (
                INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, worker_id)
                SELECT id, attempt, from_status, status, 'dispatched to worker ' || worker_id, worker_id FROM changed)
            SELECT * FROM changed""".formatted(
                    firstWaitingOf("l"),
                    DEVICE_TAKES_WORK.formatted("k.target_id", "k.worker_id", "$4", "l"),
                    WITHIN_QUOTA.formatted("l"));

    private Uni<List<Optional<Action>>> claimAll(List<Claim> batch) {
        return pool.preparedQuery(CLAIM_BY_TARGET)
                .execute(Tuple.of(
                        column(batch, Claim::targetId),
                        column(batch, Claim::workerId),
                        column(
                                batch,
                                claim -> String.join(
                                        ",",
                                        claim.operations().stream()
                                                .map(Operation::name)
                                                .toList())),
                        replicas.id()))
                .map(rows -> matched(rows, "target_id", batch, Claim::targetId));
    }

    /** A validated action to run on any device matching its slices, about to be written. */
    public record NewMatchingAction(
            String id,
            Operation operation,
            byte[] input,
            String inputHash,
            int maxAttempts,
            String idempotencyKey,
            List<Slice> slices,
            Duration executionTimeout,
            String submittedBy,
            int priority) {}

    /** One slice of a NewMatchingAction: its dimension set (with its companions' dimensions, if a gang) and how long it may wait. */
    public record Slice(
            long setId,
            java.util.SortedMap<String, String> dimensions,
            List<java.util.SortedMap<String, String>> companions,
            Duration expiration) {}

    /**
     * Inserts a QUEUED action by dimensions with its creation event, its first slice applying; empty
     * when its idempotency key exists. It waits at most the sum of its slices' expirations.
     */
    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> insertMatching(NewMatchingAction action, String reason) {
        return matchingInserts.submit(new MatchingInsert(action, reason));
    }

    private record MatchingInsert(NewMatchingAction action, String reason) {

        /** The slices as the row keeps them: each one's set, dimensions and expiration. */
        String slicesJson() {
            io.vertx.core.json.JsonArray slices = new io.vertx.core.json.JsonArray();
            action.slices()
                    .forEach(slice -> slices.add(new io.vertx.core.json.JsonObject()
                            .put("set", slice.setId())
                            .put("dimensions", new io.vertx.core.json.JsonObject(Map.copyOf(slice.dimensions())))
                            .put(
                                    "companions",
                                    new io.vertx.core.json.JsonArray(slice.companions().stream()
                                            .map(companion -> new io.vertx.core.json.JsonObject()
                                                    .put(
                                                            "dimensions",
                                                            new io.vertx.core.json.JsonObject(Map.copyOf(companion))))
                                            .toList()))
                            .put("expirationSeconds", slice.expiration().toSeconds())));
            return slices.encode();
        }

        long totalMillis() {
            return action.slices().stream()
                    .mapToLong(slice -> slice.expiration().toMillis())
                    .sum();
        }

        /** When the first slice gives way, if another follows. */
        Long firstSliceMillis() {
            return action.slices().size() > 1
                    ? action.slices().get(0).expiration().toMillis()
                    : null;
        }
    }

    private static final String INSERT_MATCHING = """
            WITH u AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[], $5::int[], $6::text[], $7::bigint[],
                                     $8::bigint[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::text[],
                                     $14::int[], $15::timestamptz[]) WITH ORDINALITY
                    AS u(id, operation, input, input_hash, max_attempts, idempotency_key, total_ms, execution_ms,
                         submitted_by, slices, set_id, first_slice_ms, reason, priority, queue_rank, n)),
            created AS (
                INSERT INTO actions (id, operation, input, input_hash, status, max_attempts, idempotency_key,
                                     queue_deadline, execution_timeout_ms, submitted_by, slices, slice,
                                     dimension_set_id, slice_deadline, priority, queue_rank)
                SELECT u.id, operation, input, input_hash, 'QUEUED', max_attempts, idempotency_key,
                       now() + total_ms * interval '1 millisecond', execution_ms, submitted_by, slices::jsonb, 0,
                       set_id, now() + first_slice_ms * interval '1 millisecond', priority, queue_rank
                FROM u
                ORDER BY n
                ON CONFLICT DO NOTHING
                RETURNING *),
            event AS (
                INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, actor)
                SELECT c.id, c.attempt, NULL, c.status, u.reason, c.submitted_by FROM created c JOIN u ON u.id = c.id)
            SELECT * FROM created""";

    private Uni<List<Optional<Action>>> insertMatchingAll(List<MatchingInsert> batch) {
        return insertBatch(
                batch,
                INSERT_MATCHING,
                Ledger::matchingInsertParameters,
                insert -> insert.action().id(),
                insert -> insert.action().submittedBy(),
                insert -> insert.action().priority());
    }

    /** {@link #INSERT_MATCHING}'s parameters: one array per column, an element per submit. */
    private static Tuple matchingInsertParameters(List<MatchingInsert> batch, java.time.OffsetDateTime[] queueRanks) {
        return Tuple.tuple()
                .addValue(column(batch, insert -> insert.action().id()))
                .addValue(column(batch, insert -> insert.action().operation().name()))
                .addValue(batch.stream()
                        .map(insert -> io.vertx.core.buffer.Buffer.buffer(
                                insert.action().input()))
                        .toArray(io.vertx.core.buffer.Buffer[]::new))
                .addValue(column(batch, insert -> insert.action().inputHash()))
                .addValue(batch.stream()
                        .map(insert -> insert.action().maxAttempts())
                        .toArray(Integer[]::new))
                .addValue(column(batch, insert -> insert.action().idempotencyKey()))
                .addValue(batch.stream().map(MatchingInsert::totalMillis).toArray(Long[]::new))
                .addValue(batch.stream()
                        .map(insert -> insert.action().executionTimeout().toMillis())
                        .toArray(Long[]::new))
                .addValue(column(batch, insert -> insert.action().submittedBy()))
                .addValue(column(batch, MatchingInsert::slicesJson))
                .addValue(batch.stream()
                        .map(insert -> insert.action().slices().get(0).setId())
                        .toArray(Long[]::new))
                .addValue(batch.stream().map(MatchingInsert::firstSliceMillis).toArray(Long[]::new))
                .addValue(column(batch, MatchingInsert::reason))
                .addValue(
                        batch.stream().map(insert -> insert.action().priority()).toArray(Integer[]::new))
                .addValue(queueRanks);
    }

    static final String CLAIM_MATCHING = """
            WITH candidates AS (
                (SELECT id FROM live_actions
                 WHERE target_id = $1 AND status = 'QUEUED' AND dimension_set_id IS NULL AND not_before <= now()
                   AND operation = ANY($3::text[]) AND %4$s
                 ORDER BY %1$s LIMIT %2$d)
                UNION ALL
                (SELECT c.id FROM unnest($4::bigint[]) AS s(set_id)
                 CROSS JOIN LATERAL (SELECT id FROM live_actions
                                     WHERE dimension_set_id = s.set_id AND status = 'QUEUED' AND not_before <= now()
                                       AND operation = ANY($3::text[]) AND %4$s
                                     ORDER BY %1$s LIMIT %2$d) c)),
            next AS (
                SELECT a.id, a.status AS from_status,
                       (SELECT w.target_id FROM action_events e JOIN workers w ON w.id = e.worker_id
                        WHERE e.action_id = a.id AND e.to_status = 'DISPATCHED' ORDER BY e.seq DESC LIMIT 1) AS from_target
                FROM actions a
                WHERE a.id = ANY(ARRAY(SELECT id FROM candidates)) AND a.status = 'QUEUED'
                  AND %3$s
                ORDER BY %1$s LIMIT 1 FOR UPDATE SKIP LOCKED),
            changed AS (
                UPDATE actions a SET status = 'DISPATCHED', worker_id = $2, lease_expires_at = NULL, updated_at = now(),
                    started_at = NULL, target_id = $1,
                    host_id = CASE WHEN a.dimension_set_id IS NULL THEN a.host_id ELSE $6 END,
                    host_name = CASE WHEN a.dimension_set_id IS NULL THEN a.host_name ELSE $7 END,
                    target_name = CASE WHEN a.dimension_set_id IS NULL THEN a.target_name ELSE $8 END
                FROM next WHERE a.id = next.id
                RETURNING a.*, next.from_status, next.from_target),
            event AS (
                INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, worker_id)
                SELECT id, attempt, from_status, status, 'dispatched to worker ' || worker_id
                    || CASE WHEN dimension_set_id IS NULL THEN ''
                            ELSE ' on device ' || target_id || ' (' || target_name || '), which matches slice ' || slice
                                 || CASE WHEN from_target IS DISTINCT FROM target_id AND from_target IS NOT NULL
                                         THEN '; moved from device ' || from_target || ', where the previous attempt ran'
                                         ELSE '' END
                       END,
                    worker_id FROM changed)
            SELECT * FROM changed""".formatted(
                    FIRST_WAITING,
                    CANDIDATES_PER_QUEUE,
                    DEVICE_TAKES_WORK.formatted("$1", "$2", "$5", "a"),
                    WITHIN_QUOTA.formatted("live_actions"));

    /**
     * Claims for a worker the action that should go first among the oldest due ones of its target
     * and those of the dimension sets its device matches, under the same guards as
     * {@link #claimNext}. An action by dimensions takes the worker's host and target for this
     * attempt; its event names the device, the slice it matched, and the device it moved from.
     */
    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> claimMatching(Worker worker, List<Long> setIds) {
        return pool.preparedQuery(CLAIM_MATCHING)
                .execute(Tuple.tuple()
                        .addString(worker.getTarget())
                        .addString(worker.getId())
                        .addArrayOfString(worker.getOperationsList().stream()
                                .map(Operation::name)
                                .toArray(String[]::new))
                        .addArrayOfLong(setIds.toArray(Long[]::new))
                        .addString(replicas.id())
                        .addString(worker.getHost())
                        .addString(worker.getHostName())
                        .addString(worker.getTargetName()))
                .map(Ledger::first)
                .onFailure(PgErrors::isUniqueViolation)
                .recoverWithItem(Optional.empty());
    }

    private static final String CLAIM_GANG = """
            WITH next AS (
                SELECT a.id,
                       (SELECT w.target_id FROM action_events e JOIN workers w ON w.id = e.worker_id
                        WHERE e.action_id = a.id AND e.to_status = 'DISPATCHED' ORDER BY e.seq DESC LIMIT 1) AS from_target
                FROM live_actions l JOIN actions a ON a.id = l.id
                WHERE l.dimension_set_id = $4 AND l.status = 'QUEUED' AND l.not_before <= now()
                  AND l.operation = ANY($3::text[]) AND a.status = 'QUEUED'
                  AND %2$s
                  AND %3$s
                  AND %4$s
                ORDER BY %1$s LIMIT 1 FOR UPDATE OF a SKIP LOCKED),
            changed AS (
                UPDATE actions a SET status = 'DISPATCHED', worker_id = $2, lease_expires_at = NULL, updated_at = now(),
                    started_at = NULL, target_id = $1, host_id = $6, host_name = $7, target_name = $8, companions = $9
                FROM next WHERE a.id = next.id AND a.status = 'QUEUED'
                RETURNING a.*, next.from_target),
            event AS (
                INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, worker_id)
                SELECT id, attempt, 'QUEUED', status, 'dispatched to worker ' || worker_id || ' on device ' || target_id
                    || ' (' || target_name || ') with companions ' || $10 || ', which match slice ' || slice
                    || CASE WHEN from_target IS DISTINCT FROM target_id AND from_target IS NOT NULL
                            THEN '; moved from device ' || from_target || ', where the previous attempt ran' ELSE '' END,
                    worker_id FROM changed)
            SELECT * FROM changed""".formatted(
                    firstWaitingOf("l"),
                    DEVICE_TAKES_WORK.formatted("$1", "$2", "$5", "l"),
                    WITHIN_QUOTA.formatted("l"),
                    COMPANIONS_TAKE_WORK.formatted("$6", "$9::text[]"));

    /**
     * Claims for a worker the action of a gang's set that goes first, with these companion devices of
     * its host, all at once: the worker's device under {@link #DEVICE_TAKES_WORK} and each companion
     * under {@link #COMPANIONS_TAKE_WORK}, in one statement that holds the companions (live_actions rows
     * of status HELD, by trigger). A companion taken meanwhile breaks the one-task-per-device index and
     * the claim comes back empty, holding nothing.
     */
    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> claimGang(long setId, Worker worker, List<Worker> companions) {
        return pool.preparedQuery(CLAIM_GANG)
                .execute(Tuple.tuple()
                        .addString(worker.getTarget())
                        .addString(worker.getId())
                        .addArrayOfString(worker.getOperationsList().stream()
                                .map(Operation::name)
                                .toArray(String[]::new))
                        .addLong(setId)
                        .addString(replicas.id())
                        .addString(worker.getHost())
                        .addString(worker.getHostName())
                        .addString(worker.getTargetName())
                        .addArrayOfString(
                                companions.stream().map(Worker::getTarget).toArray(String[]::new))
                        .addString(String.join(
                                ", ",
                                companions.stream()
                                        .map(companion ->
                                                companion.getTarget() + " (" + companion.getTargetName() + ")")
                                        .toList())))
                .map(Ledger::first)
                .onFailure(PgErrors::isUniqueViolation)
                .recoverWithItem(Optional.empty());
    }

    /**
     * Moves every QUEUED action whose slice is past its deadline to its next slice, with an event
     * naming both; entering the last slice, the action's queue deadline becomes that slice's expiration.
     */
    public Uni<List<Action>> advanceSlices() {
        return pool.query("""
                        WITH due AS (
                            SELECT a.id FROM live_actions l JOIN actions a ON a.id = l.id
                            WHERE l.status = 'QUEUED' AND l.slice_deadline < now() AND a.status = 'QUEUED'
                            FOR UPDATE OF a SKIP LOCKED),
                        changed AS (
                            UPDATE actions a SET slice = a.slice + 1, updated_at = now(),
                                dimension_set_id = (a.slices -> (a.slice + 1) ->> 'set')::bigint,
                                slice_deadline = CASE WHEN a.slice + 2 < jsonb_array_length(a.slices)
                                    THEN now() + (a.slices -> (a.slice + 1) ->> 'expirationSeconds')::bigint * interval '1 second' END,
                                queue_deadline = CASE WHEN a.slice + 2 < jsonb_array_length(a.slices) THEN a.queue_deadline
                                    ELSE now() + (a.slices -> (a.slice + 1) ->> 'expirationSeconds')::bigint * interval '1 second' END
                            FROM due WHERE a.id = due.id AND a.status = 'QUEUED'
                            RETURNING a.*, 'QUEUED'::text AS from_status),
                        event AS (
                            INSERT INTO action_events (action_id, attempt, from_status, to_status, reason)
                            SELECT id, attempt, from_status, status,
                                'slice ' || (slice - 1) || ' ' || (slices -> (slice - 1) -> 'dimensions')::text
                                || ' found no free matching device in time; slice ' || slice || ' '
                                || (slices -> slice -> 'dimensions')::text || ' applies now'
                            FROM changed)
                        SELECT * FROM changed""").execute().map(Ledger::all);
    }

    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> markRunning(String id, int attempt, String workerId) {
        return report(new Report(id, attempt, List.of(workerId), ActionStatus.RUNNING, null, "", null, null));
    }

    /** Ends the attempt held by a worker with a terminal status. */
    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> finish(
            String id,
            int attempt,
            String workerId,
            ActionStatus status,
            ActionOutput output,
            String error,
            FailureClass failure,
            String reason) {
        return report(new Report(id, attempt, List.of(workerId), status, output, error, failure, reason));
    }

    /**
     * Moves the attempt held by one of these workers to RUNNING (from DISPATCHED) or to a terminal
     * status (from DISPATCHED or RUNNING); a null reason on RUNNING names the worker.
     */
    public record Report(
            String id,
            int attempt,
            List<String> workerIds,
            ActionStatus status,
            ActionOutput output,
            String error,
            FailureClass failure,
            String reason) {}

    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> report(Report report) {
        return reports.submit(report);
    }

    private static final String REPORT = """
            WITH u AS (
                SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bytea[], $6::text[], $7::text[], $8::text[])
                    AS u(id, attempt, workers, status, output, error, failure, reason)),
            changed AS (
                UPDATE actions a SET status = u.status,
                    started_at = CASE WHEN u.status = 'RUNNING' THEN now() ELSE a.started_at END,
                    finished_at = CASE WHEN u.status = 'RUNNING' THEN a.finished_at ELSE now() END,
                    output = COALESCE(u.output, a.output),
                    error = CASE WHEN u.status = 'RUNNING' THEN a.error ELSE u.error END,
                    failure = CASE WHEN u.status = 'RUNNING' THEN a.failure ELSE u.failure END,
                    cancel_requested = u.status = 'RUNNING' AND a.cancel_requested,
                    lease_expires_at = NULL, updated_at = now()
                FROM u
                WHERE a.id = ANY($1) AND a.id = u.id AND a.attempt = u.attempt
                  AND a.worker_id = ANY(string_to_array(u.workers, ','))
                  AND (a.status = 'DISPATCHED' OR (a.status = 'RUNNING' AND u.status <> 'RUNNING'))
                RETURNING a.*, %s AS from_status, COALESCE(u.reason, 'running on worker ' || a.worker_id) AS reason),
            event AS (
                INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, worker_id, failure)
                SELECT id, attempt, from_status, status, reason, worker_id, %s FROM changed)
            SELECT * FROM changed""".formatted(STATUS_BEFORE_REPORT, ENDED_ATTEMPT_FAILURE);

    private Uni<List<Optional<Action>>> reportAll(List<Report> batch) {
        return pool.preparedQuery(REPORT)
                .execute(Tuple.tuple()
                        .addValue(column(batch, Report::id))
                        .addValue(batch.stream().map(Report::attempt).toArray(Integer[]::new))
                        .addValue(column(batch, report -> String.join(",", report.workerIds())))
                        .addValue(column(batch, report -> report.status().name()))
                        .addValue(batch.stream()
                                .map(report -> bytes(report.output()))
                                .toArray(io.vertx.core.buffer.Buffer[]::new))
                        .addValue(column(batch, Report::error))
                        .addValue(column(batch, report -> failureName(report.failure())))
                        .addValue(column(batch, Report::reason)))
                .map(rows -> matched(rows, "id", batch, Report::id));
    }

    /** Puts the attempt held by a worker back in the queue as the next attempt, due after a delay. */
    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> requeue(
            String id,
            int attempt,
            String workerId,
            ActionOutput output,
            String error,
            FailureClass failure,
            Duration delay,
            String reason) {
        return transition(
                "status = 'QUEUED', attempt = a.attempt + 1, worker_id = NULL, output = COALESCE($5, a.output), error = $6, failure = $7,"
                        + " not_before = now() + $8 * interval '1 millisecond', lease_expires_at = NULL,"
                        // an action by dimensions waits for any matching device again, not in its last device's queue
                        + " host_id = CASE WHEN a.dimension_set_id IS NULL THEN a.host_id END,"
                        + " target_id = CASE WHEN a.dimension_set_id IS NULL THEN a.target_id END",
                HELD_BY + " AND a.attempt < a.max_attempts",
                Tuple.tuple()
                        .addString(id)
                        .addString(reason)
                        .addInteger(attempt)
                        .addString(workerId)
                        .addValue(bytes(output))
                        .addString(error)
                        .addString(failureName(failure))
                        .addLong(delay.toMillis()));
    }

    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> cancelQueued(String id, String reason, String actor) {
        return transition(
                "status = 'CANCELLED', error = $2, finished_at = now()",
                "a.status = 'QUEUED'",
                "$3",
                Tuple.of(id, reason, actor));
    }

    /** Marks a DISPATCHED or RUNNING action to be cancelled by its agent; the status changes when the agent confirms. */
    @Retry(
            maxRetries = 3,
            delay = 100,
            jitter = 50,
            retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> requestCancel(String id, String reason, String actor) {
        return transition(
                "cancel_requested = true",
                "a.status IN ('DISPATCHED', 'RUNNING') AND NOT a.cancel_requested",
                "$3",
                Tuple.of(id, reason, actor));
    }

    static final String EXPIRE_OVERDUE = """
                        WITH changed AS (
                            UPDATE actions a SET status = 'EXPIRED', finished_at = now(), updated_at = now(),
                                error = 'waited in the queue past its deadline (' || a.queue_deadline || ') without a free worker'
                            WHERE a.id IN (SELECT id FROM live_actions WHERE status = 'QUEUED' AND queue_deadline < now())
                              AND a.status = 'QUEUED' AND a.queue_deadline < now()
                            RETURNING a.*, 'QUEUED'::text AS from_status),
                        event AS (
                            INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, worker_id)
                            SELECT id, attempt, from_status, status, error, worker_id FROM changed)
                        SELECT * FROM changed""";

    /** Every QUEUED action past its queue deadline becomes EXPIRED, with its event. */
    public Uni<List<Action>> expireOverdue() {
        return pool.query(EXPIRE_OVERDUE).execute().map(Ledger::all);
    }

    /** Clears the lease of an attempt its worker reported again after reconnecting. */
    public Uni<Optional<Action>> resume(String id, int attempt, String workerId) {
        return pool.preparedQuery("""
                        UPDATE actions a SET lease_expires_at = NULL
                        WHERE a.id = $1 AND a.status IN ('DISPATCHED', 'RUNNING') AND a.attempt = $2 AND a.worker_id = $3
                        RETURNING *""").execute(Tuple.of(id, attempt, workerId)).map(Ledger::first);
    }

    /** Starts the grace period of every attempt held by these workers, which just lost their agent. */
    public Uni<Integer> leaseHeldBy(List<String> workerIds, Duration grace) {
        return pool.preparedQuery("""
                        UPDATE actions SET lease_expires_at = now() + $2 * interval '1 millisecond'
                        WHERE id IN (SELECT id FROM live_actions WHERE worker_id = ANY($1) AND status IN ('DISPATCHED', 'RUNNING'))
                          AND worker_id = ANY($1) AND status IN ('DISPATCHED', 'RUNNING')""")
                .execute(Tuple.of(workerIds.toArray(String[]::new), grace.toMillis()))
                .map(RowSet::rowCount);
    }

    private Uni<Optional<Action>> transition(String set, String guard, Tuple args) {
        return transition(set, guard, "''", args);
    }

    private Uni<Optional<Action>> transition(String set, String guard, String actor, Tuple args) {
        return pool.preparedQuery(TRANSITION.formatted(set, guard, actor, ENDED_ATTEMPT_FAILURE))
                .execute(args)
                .map(Ledger::first);
    }

    private static <T> String[] column(List<T> batch, Function<T, String> value) {
        return batch.stream().map(value).toArray(String[]::new);
    }

    /** The changed row of each item of a batch, found by a column that is unique within the batch. */
    private static <T> List<Optional<Action>> matched(
            RowSet<Row> rows, String column, List<T> batch, Function<T, String> key) {
        Map<String, Action> changed = new HashMap<>();
        rows.forEach(row -> changed.put(row.getString(column), ActionRows.action(row)));
        return batch.stream()
                .map(item -> Optional.ofNullable(changed.get(key.apply(item))))
                .toList();
    }

    private static List<Action> all(RowSet<Row> rows) {
        List<Action> actions = new java.util.ArrayList<>();
        rows.forEach(row -> actions.add(ActionRows.action(row)));
        return actions;
    }

    private static Optional<Action> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(ActionRows.action(iterator.next())) : Optional.empty();
    }

    /** A bytea parameter, or SQL NULL (the Mutiny Tuple cannot take a null Buffer). */
    private static io.vertx.core.buffer.Buffer bytes(ActionOutput output) {
        return output == null ? null : io.vertx.core.buffer.Buffer.buffer(output.toByteArray());
    }

    private static String failureName(FailureClass failure) {
        return failure == null || failure == FailureClass.FAILURE_CLASS_UNSPECIFIED ? "" : failure.name();
    }
}
