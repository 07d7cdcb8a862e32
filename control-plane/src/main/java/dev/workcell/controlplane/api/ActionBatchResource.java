package dev.workcell.controlplane.api;

import dev.workcell.controlplane.action.BatchSubmits;
import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.SubmitActionsRequest;
import dev.workcell.proto.v1.SubmitActionsResponse;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Batch submit over REST (AIP-233's custom method): 200 with one result per item, the same as ActionService.SubmitBatch. */
@Path("/api/v1/actions:batch")
@RolesAllowed(Roles.SUBMITTER)
@Produces(MediaType.APPLICATION_JSON)
public class ActionBatchResource {

    private final BatchSubmits batches;
    private final CurrentCaller caller;

    public ActionBatchResource(BatchSubmits batches, CurrentCaller caller) {
        this.batches = batches;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SubmitActionsResponse> submit(SubmitActionsRequest request) {
        return caller.get()
                .chain(who -> batches.submit(request.getItemsList(), who))
                .map(BatchResults::of);
    }
}
