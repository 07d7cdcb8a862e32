package dev.workcell.controlplane.action;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Operation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Writes to the action ledger. Every change of an action is one SQL statement that updates the
 * current state and appends its action_events row together, guarded by the expected status,
 * attempt and holder, so a stale or duplicate update changes nothing. Transient database errors
 * are retried; the guards make a retried write harmless.
 */
@ApplicationScoped
public class Ledger {

    /** $1 = action id, $2 = reason; %1$s = SET clause, %2$s = guard. */
    private static final String TRANSITION = """
            WITH old AS (SELECT id, status AS from_status FROM actions WHERE id = $1 FOR UPDATE),
            changed AS (
                UPDATE actions a SET %1$s, updated_at = now()
                FROM old WHERE a.id = old.id AND %2$s
                RETURNING a.*, old.from_status),
            event AS (
                INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, worker_id)
                SELECT id, attempt, from_status, status, $2, worker_id FROM changed)
            SELECT * FROM changed""";

    private static final String HELD_BY = "a.status IN ('DISPATCHED', 'RUNNING') AND a.attempt = $3 AND a.worker_id = $4";

    private final Pool pool;

    public Ledger(Pool pool) {
        this.pool = pool;
    }

    /** A validated action about to be written. */
    public record NewAction(String id, Operation operation, byte[] input, String inputHash, String host, String target,
                            int maxAttempts, String idempotencyKey, Duration queueTimeout, Duration executionTimeout) {
    }

    /** Inserts a QUEUED action with its creation event; empty when an equivalent in-flight action or the same key exists. */
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> insert(NewAction action, String reason) {
        return pool.preparedQuery("""
                        WITH created AS (
                            INSERT INTO actions (id, operation, input, input_hash, host_id, target_id, status, max_attempts,
                                                 idempotency_key, queue_deadline, execution_timeout_ms)
                            VALUES ($1, $2, $3, $4, $5, $6, 'QUEUED', $7, $8, now() + $10 * interval '1 millisecond', $11)
                            ON CONFLICT DO NOTHING
                            RETURNING *),
                        event AS (
                            INSERT INTO action_events (action_id, attempt, from_status, to_status, reason)
                            SELECT id, attempt, NULL, status, $9 FROM created)
                        SELECT * FROM created""")
                .execute(Tuple.tuple()
                        .addString(action.id())
                        .addString(action.operation().name())
                        .addBuffer(Buffer.buffer(action.input()))
                        .addString(action.inputHash())
                        .addString(action.host())
                        .addString(action.target())
                        .addInteger(action.maxAttempts())
                        .addString(action.idempotencyKey())
                        .addString(reason)
                        .addLong(action.queueTimeout().toMillis())
                        .addLong(action.executionTimeout().toMillis()))
                .map(Ledger::first);
    }

    /**
     * Claims the oldest due QUEUED action of a target for a worker, if the target runs nothing.
     * Safe under concurrency: skipped locks and the one-active-per-target index make a losing
     * claim come back empty.
     */
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> claimNext(String targetId, String workerId, List<Operation> operations) {
        return pool.preparedQuery("""
                        WITH next AS (
                            SELECT id, status AS from_status FROM actions
                            WHERE target_id = $1 AND status = 'QUEUED' AND not_before <= now() AND operation = ANY($3)
                              AND NOT EXISTS (SELECT 1 FROM actions busy WHERE busy.target_id = $1 AND busy.status IN ('DISPATCHED', 'RUNNING'))
                            ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED),
                        changed AS (
                            UPDATE actions a SET status = 'DISPATCHED', worker_id = $2, lease_expires_at = NULL, updated_at = now()
                            FROM next WHERE a.id = next.id
                            RETURNING a.*, next.from_status),
                        event AS (
                            INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, worker_id)
                            SELECT id, attempt, from_status, status, 'dispatched to worker ' || $2, worker_id FROM changed)
                        SELECT * FROM changed""")
                .execute(Tuple.of(targetId, workerId, operations.stream().map(Operation::name).toArray(String[]::new)))
                .map(Ledger::first)
                .onFailure(Ledger::isUniqueViolation).recoverWithItem(Optional.empty());
    }

    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> markRunning(String id, int attempt, String workerId) {
        return transition("status = 'RUNNING', started_at = now(), lease_expires_at = NULL",
                "a.status = 'DISPATCHED' AND a.attempt = $3 AND a.worker_id = $4",
                Tuple.of(id, "running on worker " + workerId, attempt, workerId));
    }

    /** Ends the attempt held by a worker with a terminal status. */
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> finish(String id, int attempt, String workerId, ActionStatus status, ActionOutput output,
                                        String error, FailureClass failure, String reason) {
        return transition("status = $5, output = COALESCE($6, a.output), error = $7, failure = $8, finished_at = now(), lease_expires_at = NULL,"
                        + " cancel_requested = false",
                HELD_BY,
                Tuple.tuple().addString(id).addString(reason).addInteger(attempt).addString(workerId)
                        .addString(status.name()).addValue(bytes(output)).addString(error).addString(failureName(failure)));
    }

    /** Puts the attempt held by a worker back in the queue as the next attempt, due after a delay. */
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> requeue(String id, int attempt, String workerId, ActionOutput output, String error,
                                         FailureClass failure, Duration delay, String reason) {
        return transition("status = 'QUEUED', attempt = a.attempt + 1, worker_id = NULL, output = COALESCE($5, a.output), error = $6, failure = $7,"
                        + " not_before = now() + $8 * interval '1 millisecond', lease_expires_at = NULL",
                HELD_BY + " AND a.attempt < a.max_attempts",
                Tuple.tuple().addString(id).addString(reason).addInteger(attempt).addString(workerId)
                        .addValue(bytes(output)).addString(error).addString(failureName(failure)).addLong(delay.toMillis()));
    }

    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> cancelQueued(String id, String reason) {
        return transition("status = 'CANCELLED', error = $2, finished_at = now()", "a.status = 'QUEUED'", Tuple.of(id, reason));
    }

    /** Marks a DISPATCHED or RUNNING action to be cancelled by its agent; the status changes when the agent confirms. */
    @Retry(maxRetries = 3, delay = 100, jitter = 50, retryOn = {ConnectException.class, VertxException.class})
    public Uni<Optional<Action>> requestCancel(String id, String reason) {
        return transition("cancel_requested = true", "a.status IN ('DISPATCHED', 'RUNNING') AND NOT a.cancel_requested",
                Tuple.of(id, reason));
    }

    /** Every QUEUED action past its queue deadline becomes EXPIRED, with its event. */
    public Uni<List<Action>> expireOverdue() {
        return pool.query("""
                        WITH changed AS (
                            UPDATE actions a SET status = 'EXPIRED', finished_at = now(), updated_at = now(),
                                error = 'waited in the queue past its deadline (' || a.queue_deadline || ') without a free worker'
                            WHERE a.status = 'QUEUED' AND a.queue_deadline < now()
                            RETURNING a.*, 'QUEUED'::text AS from_status),
                        event AS (
                            INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, worker_id)
                            SELECT id, attempt, from_status, status, error, worker_id FROM changed)
                        SELECT * FROM changed""")
                .execute()
                .map(rows -> {
                    List<Action> expired = new java.util.ArrayList<>();
                    rows.forEach(row -> expired.add(ActionRows.action(row)));
                    return expired;
                });
    }

    /** Clears the lease of an attempt its worker reported again after reconnecting. */
    public Uni<Optional<Action>> resume(String id, int attempt, String workerId) {
        return pool.preparedQuery("""
                        UPDATE actions a SET lease_expires_at = NULL
                        WHERE a.id = $1 AND a.status IN ('DISPATCHED', 'RUNNING') AND a.attempt = $2 AND a.worker_id = $3
                        RETURNING *""")
                .execute(Tuple.of(id, attempt, workerId))
                .map(Ledger::first);
    }

    /** Starts the grace period of every attempt held by these workers, which just lost their agent. */
    public Uni<Integer> leaseHeldBy(List<String> workerIds, Duration grace) {
        return pool.preparedQuery("""
                        UPDATE actions SET lease_expires_at = now() + $2 * interval '1 millisecond'
                        WHERE worker_id = ANY($1) AND status IN ('DISPATCHED', 'RUNNING')""")
                .execute(Tuple.of(workerIds.toArray(String[]::new), grace.toMillis()))
                .map(RowSet::rowCount);
    }

    private Uni<Optional<Action>> transition(String set, String guard, Tuple args) {
        return pool.preparedQuery(TRANSITION.formatted(set, guard)).execute(args).map(Ledger::first);
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

    private static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
