package dev.workcell.controlplane.web;

import dev.workcell.controlplane.action.ActionChanges;
import dev.workcell.controlplane.action.ActionLookup;
import dev.workcell.controlplane.action.Cancellations;
import dev.workcell.controlplane.action.Manager;
import dev.workcell.controlplane.device.AvailabilityChanges;
import dev.workcell.controlplane.log.ActionLogs;
import dev.workcell.controlplane.pending.WhyPendingAnswers;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.GetLogRequest;
import dev.workcell.proto.v1.LogStream;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.WatchActionsRequest;
import dev.workcell.proto.v1.WhyPending;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The Action view: status, the ledger's timeline (attempts, retries and their reasons, who did
 * what), input, output and artifacts, kept live over SSE; the attempt's log followed live over
 * SSE, resuming from its byte offsets after a reconnect; while it is QUEUED, why it waits (again
 * with each change of it or of what it waits for); cancel and retry for the roles that may.
 */
@Path("/actions/{id: [0-9a-f]{40}}")
@PermitAll
public class ActionPage {

    private final Template action;
    private final ActionLookup lookup;
    private final ActionLogs logs;
    private final Manager manager;
    private final Cancellations cancellations;
    private final SignedIn signedIn;
    private final Frames frames;
    private final WhyPendingAnswers whyPending;
    private final ActionChanges changes;
    private final AvailabilityChanges availability;

    public ActionPage(
            @Location("action.html") Template action,
            ActionLookup lookup,
            ActionLogs logs,
            Manager manager,
            Cancellations cancellations,
            SignedIn signedIn,
            Frames frames,
            WhyPendingAnswers whyPending,
            ActionChanges changes,
            AvailabilityChanges availability) {
        this.whyPending = whyPending;
        this.changes = changes;
        this.availability = availability;
        this.action = action;
        this.lookup = lookup;
        this.logs = logs;
        this.manager = manager;
        this.cancellations = cancellations;
        this.signedIn = signedIn;
        this.frames = frames;
    }

    /** The page; {@code attempt} picks whose log it follows (the current one by default). */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page(@PathParam("id") String id, @RestQuery Integer attempt) {
        return signedIn.viewer()
                .chain(viewer -> frames.of(viewer, "actions")
                        .chain(frame -> view(id, viewer)
                                .map(view -> action.data("frame", frame)
                                        .data("view", view)
                                        .data(
                                                "attempt",
                                                attempt == null || attempt < 1
                                                        ? view.action().getAttempt()
                                                        : attempt))));
    }

    /**
     * Each change of the action as an SSE event "summary": its status, buttons and timeline, rendered
     * again; while it waits, also each change that may change why (see {@link WaitingOn}). Changes that
     * come while one is rendered are folded into the next rendering.
     */
    @GET
    @Path("live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> live(@PathParam("id") String id, @Context Sse sse) {
        return signedIn.viewer()
                .onItem()
                .transformToMulti(viewer -> {
                    AtomicReference<WaitingOn> waitingOn = new AtomicReference<>(WaitingOn.NOTHING);
                    Multi<Uni<ActionView>> own = lookup.watch(
                                    WatchActionsRequest.newBuilder().setId(id).build())
                            .map(changed -> view(changed, viewer));
                    Multi<Uni<ActionView>> others = changes.stream()
                            .select()
                            .where(change -> waitingOn.get().movedBy(change))
                            .map(change -> view(id, viewer));
                    Multi<Uni<ActionView>> devices = availability.stream()
                            .select()
                            .where(device -> waitingOn.get().movedByDevice(device))
                            .map(device -> view(id, viewer));
                    return Multi.createBy()
                            .merging()
                            .streams(own, others, devices)
                            .onOverflow()
                            .dropPreviousItems()
                            .onItem()
                            .transformToUniAndConcatenate(rendering -> rendering)
                            .invoke(view -> waitingOn.set(WaitingOn.of(view)));
                })
                .map(view -> sse.newEventBuilder()
                        .name("summary")
                        .data(summary(view))
                        .build());
    }

    /**
     * The attempt's log as SSE events "log" (the new text, HTML-escaped, stderr marked), each with
     * the byte offsets sent so far as its id; then "done" once the attempt is over.
     */
    @GET
    @Path("log")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> log(
            @PathParam("id") String id,
            @RestQuery int attempt,
            @RestHeader("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        GetLogRequest request = GetLogRequest.newBuilder()
                .setId(id)
                .setAttempt(attempt)
                .setFollow(true)
                .build();
        return signedIn.viewer()
                .onItem()
                .transformToMulti(viewer -> Multi.createFrom().deferred(() -> {
                    LogPosition position = LogPosition.parse(lastEventId);
                    Multi<OutboundSseEvent> text = logs.read(request).onItem().transformToIterable(chunk -> {
                        String fresh = position.advance(chunk);
                        return fresh.isEmpty()
                                ? List.of()
                                : List.of(sse.newEventBuilder()
                                        .name("log")
                                        .id(position.toString())
                                        .data(html(fresh, chunk.getStream()))
                                        .build());
                    });
                    Multi<OutboundSseEvent> done = Multi.createFrom()
                            .item(() -> sse.newEventBuilder()
                                    .name("done")
                                    .data("end of attempt")
                                    .build());
                    return Multi.createBy().concatenating().streams(text, done);
                }));
    }

    /** Cancels as the API does (a submitter its own actions, an admin any) and answers with the summary as it is now. */
    @POST
    @Path("cancel")
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> cancel(@PathParam("id") String id) {
        return signedIn.withRole(Roles.SUBMITTER)
                .chain(viewer -> cancellations.cancel(id, viewer.caller()).chain(cancelled -> view(cancelled, viewer)))
                .map(this::summary);
    }

    /** Submits the same operation and input on the same target again, as a new action (forced), and opens it. */
    @POST
    @Path("retry")
    public Uni<RestResponse<Void>> retry(@PathParam("id") String id) {
        return signedIn.withRole(Roles.SUBMITTER)
                .chain(viewer -> lookup.get(id)
                        .chain(old -> manager.submit(
                                SubmitActionRequest.newBuilder()
                                        .setOperation(old.getOperation())
                                        .setTarget(old.getTarget())
                                        .setInput(old.getInput())
                                        .setForce(true)
                                        .setPriority(old.getPriority())
                                        .build(),
                                viewer.caller())))
                .map(submitted -> RestResponse.ResponseBuilder.<Void>create(RestResponse.Status.NO_CONTENT)
                        .header(
                                "HX-Redirect",
                                "/actions/" + submitted.getAction().getId())
                        .build());
    }

    private Uni<ActionView> view(String id, Viewer viewer) {
        return lookup.get(id).chain(found -> view(found, viewer));
    }

    /** The view of an action as it is now; a QUEUED one with why it waits. */
    private Uni<ActionView> view(Action found, Viewer viewer) {
        Uni<WhyPending> pending = found.getStatus() == ActionStatus.QUEUED
                ? whyPending.explain(found.getId())
                : Uni.createFrom().nullItem();
        return lookup.events(found.getId())
                .chain(events -> pending.map(why -> new ActionView(found, events, why, viewer)));
    }

    /** The live part of the page, on one line (an SSE data field per line would split it). */
    private String summary(ActionView view) {
        return action.getFragment("summary").data("view", view).render().replace("\n", " ");
    }

    private static String html(String text, LogStream stream) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return stream == LogStream.STDERR ? "<span class=\"stderr\">" + escaped + "</span>" : escaped;
    }
}
