package dev.workcell.controlplane.action;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What follows a committed ledger write, in one place: the change is published to watchers here
 * and on the other replicas ({@link ActionChanges}), and the dispatcher is kicked for what the
 * change may let start, here or through another replica. A writer calls the method naming what it
 * wrote, with the action(s) as the write returned them, once the write is committed (in the
 * write's continuation); it never publishes or kicks by hand.
 */
@ApplicationScoped
public class AfterCommit {

    private final ActionChanges changes;
    private final Dispatcher dispatcher;

    public AfterCommit(ActionChanges changes, Dispatcher dispatcher) {
        this.changes = changes;
        this.dispatcher = dispatcher;
    }

    /**
     * New actions: each published, then offered once per device they name (however many name it)
     * and once each for those waiting by dimensions.
     */
    public void submitted(List<Action> created) {
        created.forEach(changes::publish);
        created.stream()
                .filter(action -> action.getSlicesCount() == 0)
                .collect(Collectors.groupingBy(
                        Action::getTarget, LinkedHashMap::new, Collectors.summingInt(action -> 1)))
                .forEach(dispatcher::arrived);
        created.stream()
                .filter(action -> action.getSlicesCount() > 0)
                .forEach(action -> dispatcher.kickFor(action, null));
    }

    /** A change that lets nothing start: running, cancel requested, cancelled in the queue, expired. */
    public void changed(Action action) {
        changes.publish(action);
    }

    /**
     * An attempt ended (the action finished, or waits again): the freed device (and a gang's
     * companions) claims its next action, or the action waiting by dimensions is offered
     * ({@code lastTarget}, where its previous attempt ran, gets it last).
     */
    public void settled(Action action, String lastTarget) {
        changes.publish(action);
        dispatcher.companionsFreed(action);
        if (action.getStatus() == ActionStatus.QUEUED && action.getSlicesCount() > 0) {
            dispatcher.kickFor(action, lastTarget);
        } else {
            dispatcher.ended(action);
        }
    }

    /** A waiting action's slice gave way to the next: it is offered to the devices of its new slice. */
    public void sliceAdvanced(Action action) {
        changes.publish(action);
        dispatcher.kickFor(action, null);
    }

    /**
     * An attempt that failed and waits {@code delay} for its retry: its device is free for other work
     * meanwhile, and the action is offered once the retry is due.
     */
    public void retryDue(Action queued, String lastTarget, Duration delay) {
        changes.publish(queued);
        dispatcher.companionsFreed(queued);
        if (!queued.getTarget().isEmpty()) {
            dispatcher.ended(queued);
        } else if (lastTarget != null && !lastTarget.isEmpty()) {
            dispatcher.kick(lastTarget);
        }
        dispatcher.kickLater(queued, lastTarget, delay);
    }

    /** Devices whose committed change may let them take work (registered, approved, released from quarantine, drained). */
    public void devicesMayBeFree(Collection<String> targetIds) {
        targetIds.forEach(dispatcher::kick);
    }
}
