package dev.workcell.controlplane.api;

import dev.workcell.controlplane.action.AfterCommit;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.Audit;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.controlplane.worker.WorkerStore;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.ListDevicesResponse;
import dev.workcell.proto.v1.ListWorkersResponse;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Devices and workers over REST. */
@Path("/api/v1")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class FleetResource {

    private final DeviceStore devices;
    private final WorkerStore workers;
    private final AfterCommit afterCommit;
    private final Audit audit;
    private final CurrentCaller caller;

    public FleetResource(
            DeviceStore devices, WorkerStore workers, AfterCommit afterCommit, Audit audit, CurrentCaller caller) {
        this.devices = devices;
        this.workers = workers;
        this.afterCommit = afterCommit;
        this.audit = audit;
        this.caller = caller;
    }

    /** Lets a device get work (when workcell.devices.require-approval holds new devices back); its queue starts at once. */
    @POST
    @Path("devices/{id}/approve")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Device> approve(@PathParam("id") String idOrSerial) {
        Uni<Caller> who = caller.get();
        return devices.idOf(idOrSerial)
                .chain(id -> devices.approve(id)
                        .map(found -> found.orElseThrow(() -> new NotFoundException("no device " + id))))
                .call(device -> who.chain(by ->
                        audit.record(by.describe(), "device.approved", device.getId(), "device " + device.getName())))
                .invoke(device -> afterCommit.devicesMayBeFree(List.of(device.getId())));
    }

    @GET
    @Path("devices")
    public Uni<ListDevicesResponse> devices() {
        return devices.list()
                .map(list ->
                        ListDevicesResponse.newBuilder().addAllDevices(list).build());
    }

    @GET
    @Path("workers")
    public Uni<ListWorkersResponse> workers() {
        return workers.list()
                .map(list ->
                        ListWorkersResponse.newBuilder().addAllWorkers(list).build());
    }
}
