package dev.workcell.controlplane.action;

import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.errors.PermissionDeniedException;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Cancels actions: a queued one at once; a dispatched or running one by asking its agent to stop
 * it. A submitter may cancel only the actions it submitted; an admin any.
 */
@ApplicationScoped
public class Cancellations {

    private final Ledger ledger;
    private final LedgerQueries queries;
    private final AfterCommit afterCommit;
    private final TaskStops taskStops;

    public Cancellations(Ledger ledger, LedgerQueries queries, AfterCommit afterCommit, TaskStops taskStops) {
        this.ledger = ledger;
        this.queries = queries;
        this.afterCommit = afterCommit;
        this.taskStops = taskStops;
    }

    /** The action as the cancel left it; NOT_FOUND, PERMISSION_DENIED, or a conflict when it already finished otherwise. */
    public Uni<Action> cancel(String id, Caller caller) {
        return queries.get(id)
                .map(found -> found.orElseThrow(() -> new NotFoundException("no action " + id)))
                .invoke(action -> {
                    if (!caller.isAdmin() && !action.getSubmittedBy().equals(caller.id())) {
                        throw new PermissionDeniedException("action " + id + " was submitted by another token;"
                                + " only its submitter or an admin may cancel it");
                    }
                })
                .chain(action -> switch (action.getStatus()) {
                    case QUEUED ->
                        ledger.cancelQueued(id, "cancelled by " + caller.describe(), caller.id())
                                .chain(done -> reread(id, done));
                    case DISPATCHED, RUNNING ->
                        ledger.requestCancel(id, "cancel requested by " + caller.describe(), caller.id())
                                .invoke(done -> done.ifPresent(this::sendCancel))
                                .chain(done -> reread(id, done));
                    case CANCELLED -> Uni.createFrom().item(action);
                    default ->
                        Uni.createFrom()
                                .failure(new ConflictException(
                                        "action " + id + " already finished: " + action.getStatus()));
                });
    }

    private void sendCancel(Action action) {
        afterCommit.changed(action);
        taskStops.stop(action);
    }

    private Uni<Action> reread(String id, Optional<Action> changed) {
        changed.filter(action -> action.getStatus() == ActionStatus.CANCELLED).ifPresent(afterCommit::changed);
        return changed.isPresent()
                ? Uni.createFrom().item(changed.get())
                : queries.get(id).map(Optional::orElseThrow);
    }
}
