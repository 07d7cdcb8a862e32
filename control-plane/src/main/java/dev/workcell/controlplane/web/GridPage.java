package dev.workcell.controlplane.web;

import dev.workcell.controlplane.action.ActionLookup;
import dev.workcell.proto.v1.WatchActionsRequest;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Arrays;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The Grid view, the original's main view: rows and columns of two axes the person picks (target,
 * host, operation), each cell the latest action's status and how many actions it holds, counted by
 * PostgreSQL over the latest {@value #WINDOW} actions for at most {@value #MAX_ROWS} × {@value #MAX_COLUMNS} cells
 * (the most recently active);
 * a changed action's cell is counted again and sent over SSE; a cell opens its actions.
 */
@Path("/grid")
@PermitAll
public class GridPage {

    static final int MAX_ROWS = 100;
    static final int MAX_COLUMNS = 30;
    /** The grid counts this many of the latest actions: its cost does not grow with the ledger. */
    static final int WINDOW = 20_000;

    private final Template grid;
    private final GridCells cells;
    private final ActionLookup lookup;
    private final SignedIn signedIn;
    private final Frames frames;

    public GridPage(
            @Location("grid.html") Template grid,
            GridCells cells,
            ActionLookup lookup,
            SignedIn signedIn,
            Frames frames) {
        this.grid = grid;
        this.cells = cells;
        this.lookup = lookup;
        this.signedIn = signedIn;
        this.frames = frames;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page(@RestQuery String rows, @RestQuery String cols) {
        GridQuery query = GridQuery.parse(rows, cols);
        return signedIn.viewer()
                .chain(viewer -> frames.of(viewer, "grid"))
                // the snapshot first: a change the count cannot see comes over the live stream
                .chain(frame -> lookup.resumeToken()
                        .chain(resumeToken -> cells.grid(query.rows(), query.columns(), MAX_ROWS, MAX_COLUMNS, WINDOW)
                                .map(counted -> grid.data("frame", frame)
                                        .data("query", query)
                                        .data("grid", counted)
                                        .data("resumeToken", resumeToken)
                                        .data("axes", Arrays.asList(GridAxis.values()))
                                        .data("maxRows", MAX_ROWS)
                                        .data("maxColumns", MAX_COLUMNS)
                                        .data("window", WINDOW))));
    }

    /** Each changed action's cell, counted again, as an SSE event "cell": the page replaces the cell of the same id. */
    @GET
    @Path("live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> live(
            @RestQuery String rows,
            @RestQuery String cols,
            @RestQuery long since,
            @RestQuery String resumeToken,
            @Context Sse sse) {
        GridQuery query = GridQuery.parse(rows, cols);
        WatchActionsRequest watch = WatchActionsRequest.newBuilder()
                .setResumeToken(resumeToken == null ? "" : resumeToken)
                .build();
        lookup.check(watch);
        return signedIn.viewer()
                .onItem()
                .transformToMulti(viewer -> lookup.watch(watch))
                .onItem()
                .transformToUniAndConcatenate(action ->
                        cells.cell(query.rows(), query.columns(), query.rowKey(action), query.columnKey(action), since))
                .map(cell -> sse.newEventBuilder()
                        .name("cell")
                        .id(cell.id())
                        .data(cell(query, cell))
                        .build());
    }

    /** One cell, on one line (an SSE data field per line would split it). */
    private String cell(GridQuery query, GridCells.Cell cell) {
        return grid.getFragment("cell")
                .data("query", query)
                .data("cell", cell)
                .render()
                .replace("\n", " ");
    }
}
