package dev.workcell.controlplane.action;

import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.worker.WorkerStore;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.Worker;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The worker that runs a submit by target: the one of its device (by id or serial) that runs its operation. */
@ApplicationScoped
public class TargetOwners {

    private final WorkerStore workerStore;
    private final DeviceStore devices;

    public TargetOwners(WorkerStore workerStore, DeviceStore devices) {
        this.workerStore = workerStore;
        this.devices = devices;
    }

    /** The worker that runs this submit's operation on its target; NOT_FOUND naming why when none does. */
    Uni<Worker> ownerOf(SubmitActionRequest request) {
        return workerStore
                .forDevice(request.getTarget())
                .chain(candidates -> candidates.isEmpty()
                        ? devices.resolve(request.getTarget()).map(found -> {
                            throw new NotFoundException("no worker for device " + request.getTarget()
                                    + (found.isPresent()
                                            ? ": it is known but no worker serves it"
                                            : ": no device with that id or serial ever registered"));
                        })
                        : Uni.createFrom().item(owner(request, candidates)));
    }

    private static Worker owner(SubmitActionRequest request, List<Worker> candidates) {
        return candidates.stream()
                .filter(worker -> worker.getOperationsList().contains(request.getOperation()))
                .findFirst()
                .orElseThrow(() -> new NotFoundException(
                        "no worker for device " + request.getTarget() + " runs " + request.getOperation()
                                + "; its workers run " + candidates.get(0).getOperationsList()));
    }
}
