package dev.workcell.controlplane.labels;

import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.Device;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** PUT /api/v1/devices/{id}/labels: an admin replaces the labels they gave a device. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceLabelsResource {

    /** The labels the device is to have from the admin, all of them. */
    public record LabelsRequest(Map<String, String> labels) {}

    private final DeviceLabels labels;
    private final CurrentCaller caller;

    public DeviceLabelsResource(DeviceLabels labels, CurrentCaller caller) {
        this.labels = labels;
        this.caller = caller;
    }

    @PUT
    @Path("devices/{id}/labels")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Device> set(@PathParam("id") String deviceId, LabelsRequest request) {
        return caller.get().chain(by -> labels.set(deviceId, request == null ? null : request.labels(), by.describe()));
    }
}
