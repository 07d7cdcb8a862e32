package dev.workcell.controlplane.action;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.CompanionDevice;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Task;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Sends a claimed attempt down its worker's stream, with its input artifacts and, for a gang, the
 * companion devices it holds. The claim is committed before: should the stream have closed since, the
 * attempt is leased like any other attempt of a lost worker, so that a reconnect or the lease sweeper settles it.
 */
@ApplicationScoped
public class TaskPushes {

    private final Ledger ledger;
    private final InputArtifacts inputArtifacts;
    private final ActionChanges changes;
    private final Duration grace;

    public TaskPushes(Ledger ledger, InputArtifacts inputArtifacts, ActionChanges changes, WorkcellConfig config) {
        this.ledger = ledger;
        this.inputArtifacts = inputArtifacts;
        this.changes = changes;
        this.grace = config.lease().grace();
    }

    Uni<Void> push(LiveWorker worker, Action action, List<LiveWorker> companions) {
        return inputArtifacts
                .of(action.getInput())
                .invoke(inputs -> {
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
                            .addAllCompanions(companions.stream()
                                    .map(companion -> CompanionDevice.newBuilder()
                                            .setTargetId(companion.info().getTarget())
                                            .setSerial(companion.targetSerial())
                                            .build())
                                    .toList())
                            .build();
                    Log.debugf("push %s attempt %d to worker %s", action.getId(), action.getAttempt(), worker.id());
                    if (!worker.session()
                            .push(ControlMessage.newBuilder().setTask(task).build())) {
                        ledger.leaseHeldBy(List.of(worker.id()), grace)
                                .subscribe()
                                .with(
                                        ignored -> Log.infof(
                                                "worker %s closed before task %s was pushed; attempt leased",
                                                worker.id(), action.getId()),
                                        failure -> Log.warnf(failure, "could not lease %s", action.getId()));
                    }
                })
                .replaceWithVoid();
    }
}
