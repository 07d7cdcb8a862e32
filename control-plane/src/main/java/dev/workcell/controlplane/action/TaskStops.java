package dev.workcell.controlplane.action;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.ClusterMessage.StopAttempt;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.CancelTask;
import dev.workcell.proto.v1.ControlMessage;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** Tells the agent running an attempt to stop it, through whichever replica its stream is connected to. */
@ApplicationScoped
@Startup
public class TaskStops {

    private final Workers workers;
    private final ClusterBus bus;

    public TaskStops(Workers workers, ClusterBus bus) {
        this.workers = workers;
        this.bus = bus;
        bus.on(StopAttempt.class, stop -> stopLocal(stop.workerId(), stop.actionId(), stop.attempt()));
    }

    public void stop(Action action) {
        if (!stopLocal(action.getWorker(), action.getId(), action.getAttempt())) {
            bus.tell(new StopAttempt(action.getWorker(), action.getId(), action.getAttempt()));
        }
    }

    private boolean stopLocal(String workerId, String actionId, int attempt) {
        return workers.pushTo(
                workerId,
                ControlMessage.newBuilder()
                        .setCancel(CancelTask.newBuilder().setActionId(actionId).setAttempt(attempt))
                        .build());
    }
}
