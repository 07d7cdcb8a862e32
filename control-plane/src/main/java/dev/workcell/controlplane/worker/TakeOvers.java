package dev.workcell.controlplane.worker;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.ClusterMessage.WorkersTaken;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Workers moving between replicas: when an agent registers here while another replica still holds
 * its old stream (a stalled network is noticed there only at the silence limit), that replica is
 * told to let the workers go and closes the old stream, so that two replicas never both dispatch
 * to one worker and the old stream's end takes nothing offline.
 */
@ApplicationScoped
@Startup
public class TakeOvers {

    private final ClusterBus bus;
    private final Workers workers;

    public TakeOvers(ClusterBus bus, Workers workers) {
        this.bus = bus;
        this.workers = workers;
        bus.on(WorkersTaken.class, taken -> takenElsewhere(taken.ids()));
    }

    /** Tells the other replicas that these workers are held here now. */
    public void takenHere(List<String> workerIds) {
        bus.tellSoon(new WorkersTaken(workerIds));
    }

    private void takenElsewhere(List<String> workerIds) {
        workers.takeOver(workerIds).forEach(session -> {
            Log.infof("%s: its workers were taken over by an agent connected to another replica; closing it", session);
            session.close();
        });
    }
}
