package dev.workcell.controlplane.web;

import dev.workcell.controlplane.action.ActionLookup;
import dev.workcell.controlplane.campaign.CampaignGrids;
import dev.workcell.controlplane.campaign.CampaignRuns;
import dev.workcell.controlplane.campaign.Campaigns;
import dev.workcell.controlplane.campaign.GridAxis;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.CampaignGrid;
import dev.workcell.proto.v1.CampaignGridCell;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The Campaign view: the campaign's grid on two axes the person picks (subject, model, operation,
 * label), each cell the latest status and its actions by status, kept live over SSE (a changed cell
 * is sent again); a cell opens its actions under the grid. Submitters get a Run button that shows
 * what the run created, kept and refused.
 */
@Path("/campaigns/{id}")
@PermitAll
public class CampaignPage {

    private final Template campaign;
    private final Campaigns campaigns;
    private final CampaignRuns runs;
    private final CampaignGrids grids;
    private final ActionLookup lookup;
    private final SignedIn signedIn;
    private final Frames frames;

    public CampaignPage(
            @Location("campaign.html") Template campaign,
            Campaigns campaigns,
            CampaignRuns runs,
            CampaignGrids grids,
            ActionLookup lookup,
            SignedIn signedIn,
            Frames frames) {
        this.campaign = campaign;
        this.campaigns = campaigns;
        this.runs = runs;
        this.grids = grids;
        this.lookup = lookup;
        this.signedIn = signedIn;
        this.frames = frames;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page(
            @PathParam("id") String id,
            @RestQuery String rows,
            @RestQuery String cols,
            @RestQuery String labelKey,
            @RestQuery String row,
            @RestQuery String col,
            @RestQuery Integer ran,
            @RestQuery Integer created,
            @RestQuery Integer kept,
            @RestQuery Integer refused) {
        CampaignGrids.Axes axes = CampaignGrids.Axes.parse(rows, cols, labelKey);
        CampaignRunView lastRun = CampaignRunView.of(ran, created, kept, refused);
        return signedIn.viewer()
                .chain(viewer -> frames.of(viewer, "campaigns"))
                .chain(frame -> campaigns
                        .get(id)
                        .chain(found -> grids.grid(id, axes)
                                .map(grid -> CampaignGridView.of(id, axes, grid))
                                .chain(view -> opened(view, row, col)
                                        .map(actions -> campaign.data("frame", frame)
                                                .data("campaign", found)
                                                .data("view", view)
                                                .data("axes", Arrays.asList(GridAxis.values()))
                                                .data("opened", actions)
                                                .data("ran", lastRun)))));
    }

    /** Runs the campaign (again); the answer is the Run button's result: what the run created, kept and refused. */
    @POST
    @Path("run")
    @Produces(MediaType.TEXT_HTML)
    public Uni<RestResponse<String>> run(
            @PathParam("id") String id, @RestForm String rows, @RestForm String cols, @RestForm String labelKey) {
        CampaignGrids.Axes axes = CampaignGrids.Axes.parse(rows, cols, labelKey);
        return signedIn.withRole(Roles.SUBMITTER)
                .chain(viewer -> runs.run(id, viewer.caller()))
                .map(CampaignRunView::of)
                .map(ran -> RestResponse.ResponseBuilder.ok(
                                campaign.getFragment("run").data("ran", ran).render())
                        .header(
                                "HX-Replace-Url",
                                CampaignGridView.of(id, axes, CampaignGrid.getDefaultInstance())
                                        .after(ran))
                        .build());
    }

    /** The actions behind the opened cell, if one is. */
    private Uni<List<Action>> opened(CampaignGridView view, String row, String col) {
        if (row == null || col == null) {
            return Uni.createFrom().item(List.of());
        }
        CampaignGridCell cell = view.cells().get(row + "\n" + col);
        return cell == null
                ? Uni.createFrom().item(List.of())
                : Multi.createFrom()
                        .iterable(cell.getActionIdsList())
                        .onItem()
                        .transformToUniAndConcatenate(lookup::get)
                        .collect()
                        .asList();
    }

    /** Each changed cell as an SSE event "cell": the page replaces the cell of the same id (and reloads for a new row or column). */
    @GET
    @Path("live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> live(
            @PathParam("id") String id,
            @RestQuery String rows,
            @RestQuery String cols,
            @RestQuery String labelKey,
            @Context Sse sse) {
        CampaignGrids.Axes axes = CampaignGrids.Axes.parse(rows, cols, labelKey);
        CampaignGridView view = CampaignGridView.of(id, axes, CampaignGrid.getDefaultInstance());
        return signedIn.viewer()
                .onItem()
                .transformToMulti(viewer -> grids.watch(id, axes))
                .map(cell -> sse.newEventBuilder()
                        .name("cell")
                        .id(view.cellId(cell))
                        .data(campaign.getFragment("cell")
                                .data("view", view)
                                .data("cell", cell)
                                .render()
                                .replace("\n", " "))
                        .build());
    }
}
