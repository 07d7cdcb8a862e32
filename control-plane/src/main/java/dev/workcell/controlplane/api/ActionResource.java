package dev.workcell.controlplane.api;

import com.google.protobuf.util.Timestamps;
import dev.workcell.controlplane.action.ActionIds;
import dev.workcell.controlplane.action.ActionLookup;
import dev.workcell.controlplane.action.Cancellations;
import dev.workcell.controlplane.action.Manager;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.log.ActionLogs;
import dev.workcell.controlplane.pending.WhyPendingAnswers;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.GetLogRequest;
import dev.workcell.proto.v1.ListActionEventsResponse;
import dev.workcell.proto.v1.ListActionsRequest;
import dev.workcell.proto.v1.ListActionsResponse;
import dev.workcell.proto.v1.LogStream;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.SubmitActionResponse;
import dev.workcell.proto.v1.WatchActionsRequest;
import dev.workcell.proto.v1.WhyPending;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.text.ParseException;
import java.util.List;
import java.util.function.Function;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The client API over REST, same semantics as the gRPC ActionService. */
@Path("/api/v1/actions")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class ActionResource {

    private final Manager manager;
    private final Cancellations cancellations;
    private final ActionLookup lookup;
    private final ActionLogs logs;
    private final CurrentCaller caller;
    private final WhyPendingAnswers whyPending;

    public ActionResource(
            Manager manager,
            Cancellations cancellations,
            ActionLookup lookup,
            ActionLogs logs,
            CurrentCaller caller,
            WhyPendingAnswers whyPending) {
        this.caller = caller;
        this.whyPending = whyPending;
        this.manager = manager;
        this.cancellations = cancellations;
        this.lookup = lookup;
        this.logs = logs;
    }

    /** Manager.Do: 201 with the new action, or 200 with the existing equivalent one. */
    @POST
    @RolesAllowed(Roles.SUBMITTER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<SubmitActionResponse>> submit(SubmitActionRequest request) {
        return caller.get()
                .chain(who -> manager.submit(request, who))
                .map(response -> response.getCreated()
                        ? RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, response)
                                .location(URI.create("/api/v1/actions/"
                                        + response.getAction().getId()))
                                .build()
                        : RestResponse.ok(response));
    }

    @GET
    @Path("{id}")
    public Uni<Action> get(@PathParam("id") String id) {
        return lookup.get(id);
    }

    @GET
    public Uni<ListActionsResponse> list(
            @QueryParam("status") List<String> status,
            @QueryParam("operation") List<String> operation,
            @QueryParam("target") String target,
            @QueryParam("host") String host,
            @QueryParam("since") String since,
            @QueryParam("pageSize") Integer pageSize,
            @QueryParam("pageToken") String pageToken) {
        return Uni.createFrom()
                .item(() -> {
                    ListActionsRequest.Builder request = ListActionsRequest.newBuilder()
                            .addAllStatus(parse("status", status, ActionStatus::valueOf))
                            .addAllOperation(parse("operation", operation, Operation::valueOf))
                            .setTarget(orEmpty(target))
                            .setHost(orEmpty(host))
                            .setPageSize(pageSize == null ? 0 : pageSize)
                            .setPageToken(orEmpty(pageToken));
                    if (since != null && !since.isEmpty()) {
                        request.setSince(timestamp(since));
                    }
                    return request.build();
                })
                .chain(lookup::list);
    }

    @GET
    @Path("{id}/events")
    public Uni<ListActionEventsResponse> events(@PathParam("id") String id) {
        return lookup.events(id)
                .map(events -> ListActionEventsResponse.newBuilder()
                        .addAllEvents(events)
                        .build());
    }

    /** Why a QUEUED action waits (per slice, its matching devices and what holds each), or what another action does instead. */
    @GET
    @Path("{id}/pending")
    public Uni<WhyPending> pending(@PathParam("id") String id) {
        return whyPending.explain(id);
    }

    /**
     * An attempt's output as text, stdout and stderr interleaved in arrival order; with
     * {@code follow=true} it streams until the attempt ends (like {@code tail -f}).
     */
    @GET
    @Path("{id}/log")
    @Produces(MediaType.TEXT_PLAIN)
    public Multi<byte[]> log(
            @PathParam("id") String id,
            @QueryParam("attempt") @DefaultValue("0") int attempt,
            @QueryParam("follow") @DefaultValue("false") boolean follow,
            @QueryParam("stream") String stream) {
        List<LogStream> streams = parse("stream", stream == null ? List.of() : List.of(stream), LogStream::valueOf);
        return logs.read(GetLogRequest.newBuilder()
                        .setId(id)
                        .setAttempt(attempt)
                        .setFollow(follow)
                        .build())
                .select()
                .where(chunk -> streams.isEmpty() || streams.contains(chunk.getStream()))
                .map(chunk -> chunk.getData().toByteArray());
    }

    @POST
    @RolesAllowed(Roles.SUBMITTER)
    @Path("{id}/cancel")
    public Uni<Action> cancel(@PathParam("id") String id) {
        Uni<Caller> who = caller.get();
        return Uni.createFrom()
                .item(() -> ActionIds.requireValid("id", id))
                .chain(valid -> who.chain(by -> cancellations.cancel(valid, by)));
    }

    /**
     * Server-Sent Events: one JSON action per change of a matching action; with {@code id}, its
     * current state first; with {@code resumeToken} (from a listing), the changes since first.
     */
    @GET
    @Path("watch")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Action> watch(
            @QueryParam("status") List<String> status,
            @QueryParam("operation") List<String> operation,
            @QueryParam("target") String target,
            @QueryParam("host") String host,
            @QueryParam("id") String id,
            @QueryParam("resumeToken") String resumeToken) {
        WatchActionsRequest request = WatchActionsRequest.newBuilder()
                .addAllStatus(parse("status", status, ActionStatus::valueOf))
                .addAllOperation(parse("operation", operation, Operation::valueOf))
                .setTarget(orEmpty(target))
                .setHost(orEmpty(host))
                .setId(orEmpty(id))
                .setResumeToken(orEmpty(resumeToken))
                .build();
        lookup.check(request);
        return lookup.watch(request);
    }

    private static <T> List<T> parse(String field, List<String> values, Function<String, T> valueOf) {
        return values.stream()
                .flatMap(value -> List.of(value.split(",")).stream())
                .map(value -> {
                    try {
                        return valueOf.apply(value.trim().toUpperCase());
                    } catch (IllegalArgumentException e) {
                        throw new InvalidRequestException(field, "unknown value '" + value + "'");
                    }
                })
                .toList();
    }

    private static com.google.protobuf.Timestamp timestamp(String since) {
        try {
            return Timestamps.parse(since);
        } catch (ParseException e) {
            throw new InvalidRequestException(
                    "since", "'" + since + "' is not an RFC 3339 time, e.g. 2026-11-28T10:00:00Z");
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
