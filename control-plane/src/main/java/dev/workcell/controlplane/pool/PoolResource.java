package dev.workcell.controlplane.pool;

import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.EnrolledAgents.Agent;
import dev.workcell.controlplane.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Agent pools over REST: what each needs (for a scaler such as the Kubernetes operator), and draining agents. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

    /** GET /pools. */
    public record Pools(List<AgentPool> pools) {}

    private final AgentPools pools;
    private final AgentDrains drains;
    private final CurrentCaller caller;

    public PoolResource(AgentPools pools, AgentDrains drains, CurrentCaller caller) {
        this.pools = pools;
        this.drains = drains;
        this.caller = caller;
    }

    @GET
    @Path("pools")
    @RolesAllowed(Roles.VIEWER)
    public Uni<Pools> pools() {
        return pools.list().map(Pools::new);
    }

    @GET
    @Path("pools/{pool}")
    @RolesAllowed(Roles.VIEWER)
    public Uni<AgentPool> pool(@PathParam("pool") String name) {
        return pools.get(name)
                .map(found -> found.orElseThrow(
                        () -> new NotFoundException("no pool " + name + ": no enrollment token names it")));
    }

    /** The agent's workers get no new task; what they run finishes. */
    @POST
    @Path("agents/{id}/drain")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Agent> drain(@PathParam("id") String id) {
        return caller.get().chain(by -> drains.drain(id, by));
    }

    @POST
    @Path("agents/{id}/undrain")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Agent> undrain(@PathParam("id") String id) {
        return caller.get().chain(by -> drains.undrain(id, by));
    }
}
