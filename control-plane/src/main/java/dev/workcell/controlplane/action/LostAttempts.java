package dev.workcell.controlplane.action;

import static dev.workcell.proto.v1.ActionStatus.CANCELLED;
import static dev.workcell.proto.v1.ActionStatus.FAILED;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.FailureClass;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Settles an attempt whose worker is gone for good (it reconnected without it, or its grace
 * period ran out): the action is queued again as the next attempt, or fails when no attempt is
 * left, or is cancelled when a cancel was pending. The original left such actions Running forever.
 */
@ApplicationScoped
public class LostAttempts {

    private final Ledger ledger;
    private final AfterCommit afterCommit;

    public LostAttempts(Ledger ledger, AfterCommit afterCommit) {
        this.ledger = ledger;
        this.afterCommit = afterCommit;
    }

    public Uni<Optional<Action>> settle(Action action, String why) {
        Log.infof("attempt %d of %s lost: %s", action.getAttempt(), action.getId(), why);
        return write(action, why)
                .invoke(settled -> settled.ifPresent(changed -> afterCommit.settled(changed, action.getTarget())));
    }

    private Uni<Optional<Action>> write(Action action, String why) {
        if (action.getCancelRequested()) {
            return ledger.finish(
                    action.getId(),
                    action.getAttempt(),
                    action.getWorker(),
                    CANCELLED,
                    null,
                    "cancelled by request; " + why,
                    FailureClass.WORKER_LOST,
                    "cancelled: " + why);
        }
        if (action.getAttempt() >= action.getMaxAttempts()) {
            String error = RetryPolicy.exhausted(action.getAttempt(), why);
            return ledger.finish(
                    action.getId(),
                    action.getAttempt(),
                    action.getWorker(),
                    FAILED,
                    null,
                    error,
                    FailureClass.WORKER_LOST,
                    error);
        }
        return ledger.requeue(
                action.getId(),
                action.getAttempt(),
                action.getWorker(),
                null,
                why,
                FailureClass.WORKER_LOST,
                Duration.ZERO,
                "attempt " + action.getAttempt() + " lost" + RetryPolicy.mayMove(action) + ": " + why);
    }
}
