package dev.workcell.controlplane.agent;

import dev.workcell.controlplane.action.AfterCommit;
import dev.workcell.controlplane.worker.AgentSession;
import dev.workcell.controlplane.worker.LastSeen;
import dev.workcell.controlplane.worker.WorkerStore;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.DeviceState;
import dev.workcell.proto.v1.DeviceStatus;
import dev.workcell.proto.v1.DevicesChanged;
import dev.workcell.proto.v1.Heartbeat;
import dev.workcell.proto.v1.Worker;
import dev.workcell.proto.v1.WorkersChanged;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * What an open agent stream says about its devices: targets that appeared or left (registered or
 * taken out of the live set without a reconnect), and each device's state with every heartbeat
 * (which also refreshes its workers' last_seen).
 * An OFFLINE device takes no work until it is reported ONLINE or BUSY again.
 */
@ApplicationScoped
public class DeviceReports {

    private final TargetRegistrations targets;
    private final Workers workers;
    private final WorkerStore workerStore;
    private final AfterCommit afterCommit;
    private final LastSeen lastSeen;

    public DeviceReports(
            TargetRegistrations targets,
            Workers workers,
            WorkerStore workerStore,
            AfterCommit afterCommit,
            LastSeen lastSeen) {
        this.lastSeen = lastSeen;
        this.targets = targets;
        this.workers = workers;
        this.workerStore = workerStore;
        this.afterCommit = afterCommit;
    }

    public Uni<Void> devicesChanged(AgentSession session, DevicesChanged changed) {
        HelloChecks.checkTargets("devices.added", changed.getAddedList());
        return targets.remove(session, changed.getRemovedList())
                .chain(removed -> targets.add(session, changed.getAddedList()).invoke(added -> {
                    session.push(ControlMessage.newBuilder()
                            .setWorkers(WorkersChanged.newBuilder()
                                    .addAllAdded(added)
                                    .addAllRemoved(removed))
                            .build());
                    afterCommit.devicesMayBeFree(
                            added.stream().map(Worker::getTarget).toList());
                }))
                .replaceWithVoid();
    }

    public Uni<Void> heartbeat(AgentSession session, Heartbeat heartbeat) {
        lastSeen.heard(session.workers().stream().map(Worker::getId).toList());
        return Multi.createFrom()
                .iterable(heartbeat.getDevicesList())
                .filter(session::changed)
                .onItem()
                .transformToUniAndConcatenate(status -> session.workerOf(status.getSerial())
                        .map(worker -> record(worker, status))
                        .orElseGet(() -> Uni.createFrom().voidItem()))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> record(Worker worker, DeviceStatus status) {
        boolean available = status.getState() != DeviceState.OFFLINE;
        workers.setAvailable(worker.getId(), available);
        return workerStore
                .recordState(worker, status.getState(), status.getHealth())
                .invoke(() -> {
                    if (available) {
                        afterCommit.devicesMayBeFree(List.of(worker.getTarget()));
                    }
                });
    }
}
