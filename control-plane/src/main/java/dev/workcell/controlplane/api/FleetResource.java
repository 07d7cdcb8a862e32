package dev.workcell.controlplane.api;

import dev.workcell.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.worker.WorkerStore;
import dev.workcell.proto.v1.ListDevicesResponse;
import dev.workcell.proto.v1.ListWorkersResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Devices and workers over REST. */
@Path("/api/v1")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class FleetResource {

    private final DeviceStore devices;
    private final WorkerStore workers;

    public FleetResource(DeviceStore devices, WorkerStore workers) {
        this.devices = devices;
        this.workers = workers;
    }

    @GET
    @Path("devices")
    public Uni<ListDevicesResponse> devices() {
        return devices.list().map(list -> ListDevicesResponse.newBuilder().addAllDevices(list).build());
    }

    @GET
    @Path("workers")
    public Uni<ListWorkersResponse> workers() {
        return workers.list().map(list -> ListWorkersResponse.newBuilder().addAllWorkers(list).build());
    }
}
