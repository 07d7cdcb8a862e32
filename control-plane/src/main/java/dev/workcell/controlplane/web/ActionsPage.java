package dev.workcell.controlplane.web;

import dev.workcell.controlplane.action.ActionLookup;
import dev.workcell.proto.v1.Action;
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
import java.util.List;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The Actions view: a filtered, sortable listing read a page at a time (keyset paging: no page
 * reads past its own rows), whose rows change and new ones appear without a reload, over SSE
 * from a watch that starts at the listing's resume token.
 */
@Path("/actions")
@PermitAll
public class ActionsPage {

    static final int PAGE_SIZE = 50;

    private final Template actions;
    private final ActionLookup lookup;
    private final SignedIn signedIn;
    private final Frames frames;

    public ActionsPage(
            @Location("actions.html") Template actions, ActionLookup lookup, SignedIn signedIn, Frames frames) {
        this.actions = actions;
        this.lookup = lookup;
        this.signedIn = signedIn;
        this.frames = frames;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page(
            @RestQuery List<String> status,
            @RestQuery List<String> operation,
            @RestQuery String target,
            @RestQuery String host,
            @RestQuery String submitter,
            @RestQuery String since,
            @RestQuery String until,
            @RestQuery String sort,
            @RestQuery String dir,
            @RestQuery Long after,
            @RestQuery String at) {
        ActionsQuery query =
                ActionsQuery.parse(status, operation, target, host, submitter, since, until, sort, dir, after, at);
        return signedIn.viewer()
                .chain(viewer -> frames.of(viewer, "actions"))
                .chain(frame -> lookup.listing(query.filter(), query.sort(), PAGE_SIZE, query.after())
                        .map(listing -> actions.data("frame", frame)
                                .data("query", query)
                                .data("listing", listing)
                                .data("statuses", ActionsQuery.STATUSES)
                                .data("operations", ActionsQuery.OPERATIONS)));
    }

    /** The view's changes as SSE events "action", each one rendered row (the page puts it in place, or on top when new). */
    @GET
    @Path("live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> live(
            @RestQuery List<String> status,
            @RestQuery List<String> operation,
            @RestQuery String target,
            @RestQuery String host,
            @RestQuery String submitter,
            @RestQuery String since,
            @RestQuery String until,
            @RestQuery String resumeToken,
            @Context Sse sse) {
        ActionsQuery query =
                ActionsQuery.parse(status, operation, target, host, submitter, since, until, null, null, null, null);
        WatchActionsRequest watch = WatchActionsRequest.newBuilder()
                .addAllStatus(query.statuses())
                .addAllOperation(query.operations())
                .setTarget(query.target())
                .setHost(query.host())
                .setResumeToken(resumeToken == null ? "" : resumeToken)
                .build();
        lookup.check(watch);
        return signedIn.viewer()
                .onItem()
                .transformToMulti(viewer -> lookup.watch(watch))
                .select()
                .where(query::admits)
                .map(action -> sse.newEventBuilder()
                        .name("action")
                        .id(action.getId())
                        .data(row(action))
                        .build());
    }

    /** One row of the listing, on one line (an SSE data field per line would split it). */
    String row(Action action) {
        return actions.getFragment("row").data("a", action).render().replace("\n", " ");
    }
}
