package dev.workcell.controlplane.action;

import static dev.workcell.proto.v1.ActionStatus.FAILED;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.FailureClass;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Enforces actions' deadlines: a slice of an action by dimensions not served before its expiration
 * gives way to the next slice; an action that waited in the queue past its queue deadline EXPIRES; an
 * attempt that runs past its execution timeout fails TIMED_OUT (not retried unless configured)
 * and its agent is told to stop it.
 */
@ApplicationScoped
public class Deadlines {

    private final Ledger ledger;
    private final LedgerQueries queries;
    private final TaskStops taskStops;
    private final AfterCommit afterCommit;

    public Deadlines(Ledger ledger, LedgerQueries queries, TaskStops taskStops, AfterCommit afterCommit) {
        this.ledger = ledger;
        this.queries = queries;
        this.taskStops = taskStops;
        this.afterCommit = afterCommit;
    }

    public Uni<Void> enforce() {
        return ledger.advanceSlices()
                .invoke(advanced -> advanced.forEach(action -> {
                    Log.infof("action %s moves to slice %d", action.getId(), action.getSlice());
                    afterCommit.sliceAdvanced(action);
                }))
                .chain(ledger::expireOverdue)
                .invoke(expired -> expired.forEach(action -> {
                    Log.infof("action %s expired in the queue", action.getId());
                    afterCommit.changed(action);
                }))
                .chain(queries::overdueAttempts)
                .onItem()
                .transformToMulti(overdue -> Multi.createFrom().iterable(overdue))
                .onItem()
                .transformToUniAndConcatenate(this::timeOut)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Optional<Action>> timeOut(Action action) {
        String error = "ran longer than its execution timeout of " + action.getExecutionTimeoutSeconds() + " s";
        return ledger.finish(
                        action.getId(),
                        action.getAttempt(),
                        action.getWorker(),
                        FAILED,
                        null,
                        error,
                        FailureClass.TIMED_OUT,
                        error)
                .invoke(done -> done.ifPresent(timedOut -> {
                    Log.infof("attempt %d of %s %s; stopping it", timedOut.getAttempt(), timedOut.getId(), error);
                    taskStops.stop(action);
                    afterCommit.settled(timedOut, timedOut.getTarget());
                }));
    }
}
