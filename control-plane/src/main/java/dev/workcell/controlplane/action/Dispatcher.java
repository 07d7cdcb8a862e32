package dev.workcell.controlplane.action;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Task;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Moves queued actions to their workers: when a target may have become free (a submit, a
 * finished attempt, a worker that registered), claims the target's oldest due action in the
 * ledger and pushes it down the worker's stream. The claim is committed before the push.
 */
@ApplicationScoped
@Startup
public class Dispatcher {

    static final String KICK = "kick";

    private final Workers workers;
    private final Ledger ledger;
    private final ActionChanges changes;
    private final Vertx vertx;
    private final Duration grace;
    private final InputArtifacts inputArtifacts;
    private final ClusterBus bus;

    public Dispatcher(Workers workers, Ledger ledger, ActionChanges changes, Vertx vertx, WorkcellConfig config,
                      InputArtifacts inputArtifacts, ClusterBus bus) {
        this.inputArtifacts = inputArtifacts;
        this.bus = bus;
        bus.on(KICK, arguments -> kickLocal(arguments.get(0)));
        this.workers = workers;
        this.ledger = ledger;
        this.changes = changes;
        this.vertx = vertx;
        this.grace = config.lease().grace();
    }

    /**
     * Dispatches the next action of a target if it runs nothing: here when its worker's agent is
     * connected to this replica, else by telling the other replicas.
     */
    public void kick(String targetId) {
        if (!kickLocal(targetId)) {
            bus.tell(KICK, targetId);
        }
    }

    /** Dispatches for a target whose worker's agent is connected here; false when it is not. */
    public boolean kickLocal(String targetId) {
        var worker = workers.find(targetId);
        worker.ifPresent(this::claimFor);
        return worker.isPresent();
    }

    private void claimFor(LiveWorker worker) {
        String targetId = worker.info().getTarget();
        ledger.claimNext(targetId, worker.id(), worker.operations())
                .chain(claimed -> claimed.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : inputArtifacts.of(claimed.get().getInput()).invoke(inputs -> push(worker, claimed.get(), inputs)).replaceWithVoid())
                .subscribe().with(
                        ignored -> { },
                        failure -> Log.warnf(failure, "could not dispatch for device %s", targetId));
    }

    public void kickLater(String targetId, Duration delay) {
        vertx.setTimer(Math.max(1, delay.toMillis()), ignored -> kick(targetId));
    }

    public void kickAll(List<String> targetIds) {
        targetIds.forEach(this::kick);
    }

    private void push(LiveWorker worker, Action action, List<Artifact> inputs) {
        changes.publish(action);
        Task task = Task.newBuilder()
                .setActionId(action.getId())
                .setAttempt(action.getAttempt())
                .setOperation(action.getOperation())
                .setInput(action.getInput())
                .setWorkerId(worker.id())
                .setTargetId(action.getTarget())
                .setTargetSerial(worker.targetSerial())
                .addAllInputs(inputs)
                .build();
        Log.debugf("push %s attempt %d to worker %s", action.getId(), action.getAttempt(), worker.id());
        if (!worker.session().push(ControlMessage.newBuilder().setTask(task).build())) {
            // The stream closed between the claim and the push: hold the attempt like any other
            // attempt of a lost worker, so that a reconnect or the lease sweeper settles it.
            ledger.leaseHeldBy(List.of(worker.id()), grace).subscribe().with(
                    ignored -> Log.infof("worker %s closed before task %s was pushed; attempt leased", worker.id(), action.getId()),
                    failure -> Log.warnf(failure, "could not lease %s", action.getId()));
        }
    }
}
