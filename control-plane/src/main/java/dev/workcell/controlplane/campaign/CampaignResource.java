package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.Campaign;
import dev.workcell.proto.v1.CampaignGrid;
import dev.workcell.proto.v1.CreateCampaignRequest;
import dev.workcell.proto.v1.ListCampaignsResponse;
import dev.workcell.proto.v1.RunCampaignResponse;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Duration;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Campaigns over REST, same semantics as CampaignService: submitters create, replace, delete and run, viewers read and see the grid. */
@Path("/api/v1/campaigns")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    private final Campaigns campaigns;
    private final CampaignRuns runs;
    private final CampaignGrids grids;
    private final CurrentCaller caller;

    public CampaignResource(Campaigns campaigns, CampaignRuns runs, CampaignGrids grids, CurrentCaller caller) {
        this.campaigns = campaigns;
        this.runs = runs;
        this.grids = grids;
        this.caller = caller;
    }

    /** 201 with the new campaign; it creates no action until it is run. */
    @POST
    @RolesAllowed(Roles.SUBMITTER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Campaign>> create(CreateCampaignRequest request) {
        return caller.get()
                .chain(by -> campaigns.create(request, by))
                .map(created -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, created)
                        .location(URI.create("/api/v1/campaigns/" + created.getId()))
                        .build());
    }

    @GET
    public Uni<ListCampaignsResponse> list() {
        return campaigns
                .list()
                .map(all ->
                        ListCampaignsResponse.newBuilder().addAllCampaigns(all).build());
    }

    @GET
    @Path("{id}")
    public Uni<Campaign> get(@PathParam("id") String id) {
        return campaigns.get(id);
    }

    /** Replaces the campaign's name, subjects, kinds and replay targets (the body is a create request). */
    @PUT
    @Path("{id}")
    @RolesAllowed(Roles.SUBMITTER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Campaign> update(@PathParam("id") String id, CreateCampaignRequest request) {
        return caller.get()
                .chain(by -> campaigns.update(
                        id, request == null ? CreateCampaignRequest.getDefaultInstance() : request, by));
    }

    /** The deleted campaign; its actions stay in the ledger. */
    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<Campaign> delete(@PathParam("id") String id) {
        return caller.get().chain(by -> campaigns.delete(id, by));
    }

    /** Runs the campaign, or runs it again: only the work that is missing or failed is created. */
    @POST
    @Path("{id}/run")
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<RunCampaignResponse> run(@PathParam("id") String id) {
        return caller.get().chain(by -> runs.run(id, by));
    }

    /** The grid: rows and cols are two of subject, model, operation, label (with labelKey). */
    @GET
    @Path("{id}/grid")
    public Uni<CampaignGrid> grid(
            @PathParam("id") String id,
            @QueryParam("rows") String rows,
            @QueryParam("cols") String cols,
            @QueryParam("labelKey") String labelKey) {
        return Uni.createFrom()
                .item(() -> CampaignGrids.Axes.parse(rows, cols, labelKey))
                .chain(axes -> grids.grid(id, axes));
    }

    /**
     * Server-Sent Events: the whole grid as JSON, first as it is now, then each time it changed. A
     * client that stops reading is disconnected once that many changes went by (README "Campaigns").
     */
    @GET
    @Path("{id}/grid/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking // the campaign is looked up before the stream starts: an event stream is answered 200 as soon as it opens
    public Multi<CampaignGrid> gridEvents(
            @PathParam("id") String id,
            @QueryParam("rows") String rows,
            @QueryParam("cols") String cols,
            @QueryParam("labelKey") String labelKey) {
        CampaignGrids.Axes axes = CampaignGrids.Axes.parse(rows, cols, labelKey);
        grids.requireCampaign(id).await().atMost(LOOKUP_TIMEOUT);
        return grids.watchGrids(id, axes);
    }
}
