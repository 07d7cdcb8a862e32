package dev.workcell.controlplane.action;

import static dev.workcell.proto.v1.ActionStatus.FAILED;
import static dev.workcell.proto.v1.ActionStatus.RUNNING;

import dev.workcell.controlplane.metrics.WorkcellMetrics;
import dev.workcell.controlplane.validation.TextFields;
import dev.workcell.controlplane.worker.AgentSession;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Applies an agent's report about an attempt (the original's Manager.Update), fenced: only the
 * worker holding the action, for the current attempt, along a legal transition. Anything else is
 * refused, logged and acknowledged as refused; a repeated report of what is already recorded is
 * acknowledged without a second write, so no attempt completes twice.
 */
@ApplicationScoped
public class TaskUpdates {

    private final Ledger ledger;
    private final LedgerQueries queries;
    private final RetryPolicy retryPolicy;
    private final AfterCommit afterCommit;
    private final WorkcellMetrics metrics;

    public TaskUpdates(
            Ledger ledger,
            LedgerQueries queries,
            RetryPolicy retryPolicy,
            AfterCommit afterCommit,
            WorkcellMetrics metrics) {
        this.metrics = metrics;
        this.ledger = ledger;
        this.queries = queries;
        this.retryPolicy = retryPolicy;
        this.afterCommit = afterCommit;
    }

    public Uni<UpdateAck> apply(AgentSession session, TaskUpdate update) {
        if (!ActionIds.isValid(update.getActionId())) {
            return refuse(session, update, "action_id '" + update.getActionId() + "' is not an action id");
        }
        if (!ActionStateMachine.isAgentReportable(update.getStatus())) {
            return refuse(session, update, "status " + update.getStatus() + " cannot be reported by an agent");
        }
        if (mayRetry(update)) {
            return readThenDecide(session, update);
        }
        // The common case, written without reading first: the guarded write refuses anything that
        // is not the holder's current attempt on a legal transition, and only then do we read why.
        return ledger.report(new Ledger.Report(
                        update.getActionId(),
                        update.getAttempt(),
                        session.registeredWorkerIds(),
                        update.getStatus(),
                        finalOutput(update),
                        TextFields.storable(update.getError()),
                        update.getFailure(),
                        reason(update)))
                .invoke(written -> written.ifPresent(this::reported))
                .chain(written -> written.isPresent()
                        ? Uni.createFrom().item(ack(update, true, ""))
                        : readThenDecide(session, update));
    }

    /**
     * Applies the updates of one batch as {@link #apply} applies each, one ack each as it is
     * decided: those of different actions together (their writes share the ledger's group
     * commits), those of one action in the order sent (RUNNING before the end it precedes).
     */
    public Multi<UpdateAck> applyAll(AgentSession session, List<TaskUpdate> updates) {
        Map<String, List<TaskUpdate>> byAction = updates.stream()
                .collect(Collectors.groupingBy(TaskUpdate::getActionId, LinkedHashMap::new, Collectors.toList()));
        return Multi.createFrom()
                .iterable(byAction.values())
                .onItem()
                .transformToMultiAndMerge(ofOneAction -> Multi.createFrom()
                        .iterable(ofOneAction)
                        .onItem()
                        .transformToUniAndConcatenate(update -> apply(session, update)));
    }

    private boolean mayRetry(TaskUpdate update) {
        return update.getStatus() == FAILED && retryPolicy.retries(update.getFailure());
    }

    private Uni<UpdateAck> readThenDecide(AgentSession session, TaskUpdate update) {
        return queries.get(update.getActionId())
                .chain(found -> found.isEmpty()
                        ? refuse(session, update, "unknown action " + update.getActionId())
                        : decide(session, update, found.get()));
    }

    private Uni<UpdateAck> decide(AgentSession session, TaskUpdate update, Action action) {
        if (!session.holds(action.getWorker())) {
            return refuse(session, update, "worker of " + session + " does not hold action " + action.getId());
        }
        if (update.getAttempt() != action.getAttempt()) {
            return refuse(
                    session,
                    update,
                    "attempt " + update.getAttempt() + " is not the current attempt " + action.getAttempt() + " of "
                            + action.getId());
        }
        if (update.getStatus() == action.getStatus()) {
            return Uni.createFrom().item(ack(update, true, "already recorded"));
        }
        if (!ActionStateMachine.allows(action.getStatus(), update.getStatus())) {
            return refuse(
                    session,
                    update,
                    "illegal transition " + action.getStatus() + " -> " + update.getStatus() + " for "
                            + action.getId());
        }
        return write(update, action)
                .map(written -> written.map(changed -> ack(update, true, ""))
                        .orElseGet(() -> ack(update, false, "action " + action.getId() + " changed meanwhile")));
    }

    private Uni<Optional<Action>> write(TaskUpdate update, Action action) {
        String worker = action.getWorker();
        if (!mayRetry(update) || action.getCancelRequested()) {
            return ledger.report(new Ledger.Report(
                            action.getId(),
                            action.getAttempt(),
                            List.of(worker),
                            update.getStatus(),
                            finalOutput(update),
                            TextFields.storable(update.getError()),
                            update.getFailure(),
                            reason(update)))
                    .invoke(written -> written.ifPresent(this::reported));
        }
        if (action.getAttempt() >= action.getMaxAttempts()) {
            String error = RetryPolicy.exhausted(action.getAttempt(), update.getError());
            return ledger.finish(
                            action.getId(),
                            action.getAttempt(),
                            worker,
                            FAILED,
                            update.getOutput(),
                            error,
                            update.getFailure(),
                            error)
                    .invoke(written -> written.ifPresent(this::reported));
        }
        Duration delay = retryPolicy.delayAfter(action.getAttempt());
        return ledger.requeue(
                        action.getId(),
                        action.getAttempt(),
                        worker,
                        update.getOutput(),
                        update.getError(),
                        update.getFailure(),
                        delay,
                        "attempt " + action.getAttempt() + " failed, retry in " + delay.toMillis() + " ms"
                                + RetryPolicy.mayMove(action) + ": " + update.getError())
                .invoke(requeued ->
                        requeued.ifPresent(queued -> afterCommit.retryDue(queued, action.getTarget(), delay)));
    }

    /** A report written: a running attempt is only published; an ended one frees its device. */
    private void reported(Action changed) {
        switch (changed.getStatus()) {
            case SUCCEEDED, FAILED, CANCELLED -> afterCommit.settled(changed, changed.getTarget());
            default -> afterCommit.changed(changed);
        }
    }

    private static ActionOutput finalOutput(TaskUpdate update) {
        return update.getStatus() == RUNNING ? null : update.getOutput();
    }

    /** The reason of the event; null for RUNNING, which the ledger words with the worker's id. */
    private static String reason(TaskUpdate update) {
        if (update.getStatus() == RUNNING) {
            return null;
        }
        return update.getError().isEmpty()
                ? update.getStatus().name().toLowerCase() + ", exit code "
                        + update.getOutput().getExitCode()
                : update.getError();
    }

    private Uni<UpdateAck> refuse(AgentSession session, TaskUpdate update, String reason) {
        metrics.updateRefused();
        Log.warnf(
                "refused update %s attempt %d -> %s from %s: %s",
                update.getActionId(), update.getAttempt(), update.getStatus(), session, reason);
        return Uni.createFrom().item(ack(update, false, reason));
    }

    private static UpdateAck ack(TaskUpdate update, boolean accepted, String reason) {
        return UpdateAck.newBuilder()
                .setActionId(update.getActionId())
                .setAttempt(update.getAttempt())
                .setStatus(update.getStatus())
                .setAccepted(accepted)
                .setReason(reason)
                .build();
    }
}
