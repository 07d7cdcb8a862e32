package dev.workcell.controlplane.agent;

import dev.workcell.controlplane.cluster.Replicas;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.device.DeviceIdentity;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.dimension.DeviceDimensions;
import dev.workcell.controlplane.dimension.DimensionStore;
import dev.workcell.controlplane.worker.AgentSession;
import dev.workcell.controlplane.worker.TakeOvers;
import dev.workcell.controlplane.worker.WorkerStore;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.DeviceState;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.Worker;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The workers of an agent's target devices, one per device: recorded (device, dimensions, live
 * worker row) before they may take work, made dispatchable through the agent's session, and taken
 * out of the live set when their device or the whole agent leaves, their attempts then leased for
 * the grace period.
 */
@ApplicationScoped
public class TargetRegistrations {

    private final DeviceStore devices;
    private final DimensionStore dimensionStore;
    private final WorkerStore workerStore;
    private final Workers workers;
    private final TakeOvers takeOvers;
    private final Replicas replicas;
    private final Duration grace;

    public TargetRegistrations(
            DeviceStore devices,
            DimensionStore dimensionStore,
            WorkerStore workerStore,
            Workers workers,
            TakeOvers takeOvers,
            Replicas replicas,
            WorkcellConfig config) {
        this.devices = devices;
        this.dimensionStore = dimensionStore;
        this.workerStore = workerStore;
        this.workers = workers;
        this.takeOvers = takeOvers;
        this.replicas = replicas;
        this.grace = config.lease().grace();
    }

    /** How long the attempts of a worker that went offline keep their lease. */
    Duration grace() {
        return grace;
    }

    /** Registers target devices of a session as live workers, one per device, in the given order. */
    Uni<List<Worker>> add(AgentSession session, List<TargetDevice> targets) {
        return prepare(session, targets).map(live -> goLive(session, live));
    }

    /** Records the workers of target devices, live in the database and held by the session, but not yet dispatchable. */
    Uni<List<LiveWorker>> prepare(AgentSession session, List<TargetDevice> targets) {
        return Multi.createFrom()
                .iterable(targets)
                .onItem()
                .transformToUniAndConcatenate(target -> devices.upsert(target.getDevice())
                        .map(device -> new LiveWorker(
                                Worker.newBuilder()
                                        .setId(DeviceIdentity.workerId(session.hostId(), device.getId()))
                                        .setHost(session.hostId())
                                        .setTarget(device.getId())
                                        .setHostName(session.hostName())
                                        .setTargetName(device.getName())
                                        .addAllOperations(target.getOperationsList().stream()
                                                .distinct()
                                                .toList())
                                        .setLive(true)
                                        .setState(DeviceState.ONLINE)
                                        .build(),
                                device.getSerial(),
                                session,
                                DeviceDimensions.of(device, session.hostId(), session.hostName())))
                        .call(worker -> dimensionStore.record(worker.info().getTarget(), worker.dimensions())))
                .collect()
                .asList()
                .call(live -> workerStore.markLive(infos(live), replicas.id()))
                .invoke(live ->
                        takeOvers.takenHere(live.stream().map(LiveWorker::id).toList()))
                .invoke(live -> live.forEach(worker -> {
                    session.add(worker.targetSerial(), worker.info());
                    workers.setAvailable(worker.id(), true);
                }));
    }

    /** Makes the workers dispatchable through this session. */
    List<Worker> goLive(AgentSession session, List<LiveWorker> live) {
        closeReplaced(session, workers.register(live));
        Log.infof(
                "registered %s: workers %s",
                session, live.stream().map(LiveWorker::id).toList());
        return infos(live);
    }

    /** Closes the older sessions that held some of these workers, now this one's. */
    static void closeReplaced(AgentSession session, List<AgentSession> previous) {
        previous.stream().filter(old -> old != session).forEach(old -> {
            Log.infof("%s replaced by a new connection", old);
            old.close();
        });
    }

    static List<Worker> infos(List<LiveWorker> live) {
        return live.stream().map(LiveWorker::info).toList();
    }

    /** Takes the workers of devices that left a session out of the live set; returns their ids. */
    Uni<List<String>> remove(AgentSession session, List<String> serials) {
        List<String> gone = serials.stream()
                .map(session::remove)
                .flatMap(Optional::stream)
                .map(Worker::getId)
                .filter(workerId -> workers.unregister(session, workerId))
                .toList();
        if (gone.isEmpty()) {
            return Uni.createFrom().item(gone);
        }
        Log.infof("%s: devices %s left; workers %s offline", session, serials, gone);
        return offline(gone).replaceWith(gone);
    }

    /** Takes workers offline that this replica still holds; returns how many of their attempts were leased. */
    Uni<Integer> offline(List<String> workerIds) {
        return workerStore.markOffline(workerIds, replicas.id(), grace);
    }
}
