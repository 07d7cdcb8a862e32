package dev.workcell.controlplane.action;

import com.google.protobuf.util.Timestamps;
import dev.workcell.controlplane.device.DeviceIdentity;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.validation.TextFields;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionEvent;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.ListActionsRequest;
import dev.workcell.proto.v1.ListActionsResponse;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.WatchActionsRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/** Reading actions for clients (get, list, history, watch), with the request checks both APIs share. */
@ApplicationScoped
public class ActionLookup {

    static final int MAX_FILTER_LENGTH = 256;

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;
    /** A Watch resumed from a token replays at most this many actions; more means the token is too old. */
    static final int MAX_RESUMED_ACTIONS = 10_000;

    private static final String TOKEN_PREFIX = "seq:";

    private final LedgerQueries queries;
    private final ActionChanges changes;

    public ActionLookup(LedgerQueries queries, ActionChanges changes) {
        this.queries = queries;
        this.changes = changes;
    }

    public Uni<Action> get(String id) {
        return Uni.createFrom()
                .item(() -> ActionIds.requireValid("id", id))
                .chain(queries::get)
                .map(found -> found.orElseThrow(() -> new NotFoundException("no action " + id)));
    }

    public Uni<List<ActionEvent>> events(String id) {
        return get(id).chain(action -> queries.events(action.getId()));
    }

    public Uni<ListActionsResponse> list(ListActionsRequest request) {
        return Uni.createFrom()
                .item(() -> filter(request))
                .chain(filter -> queries.snapshot().chain(snapshot -> page(request, filter, snapshot)));
    }

    /** A page of actions and the resume token of a watch that follows it (no change between the two is missed). */
    public record Listing(LedgerQueries.Page page, String resumeToken) {}

    /** A page in any order, with the filters the client API lacks too (submitter, end time): for the dashboard. */
    public Uni<Listing> listing(
            LedgerQueries.Filter filter, LedgerQueries.Sort sort, int pageSize, LedgerQueries.Position after) {
        return Uni.createFrom()
                .item(() -> {
                    TextFields.check("target", filter.target(), MAX_FILTER_LENGTH);
                    TextFields.check("host", filter.host(), MAX_FILTER_LENGTH);
                    TextFields.check("submitter", filter.submittedBy(), MAX_FILTER_LENGTH);
                    return pageSize(pageSize);
                })
                .chain(size -> queries.snapshot()
                        .chain(snapshot -> queries.list(filter, sort, size, after)
                                .map(page -> new Listing(page, ResumeTokens.of(snapshot)))));
    }

    /** A resume token for now: a watch from it sees every change a query started later might not. */
    public Uni<String> resumeToken() {
        return queries.snapshot().map(ResumeTokens::of);
    }

    /** One page, read after the snapshot, which becomes its resume token. */
    private Uni<ListActionsResponse> page(ListActionsRequest request, LedgerQueries.Filter filter, String snapshot) {
        return queries.list(filter, pageSize(request.getPageSize()), afterSeq(request.getPageToken()))
                .map(page -> ListActionsResponse.newBuilder()
                        .addAllActions(page.actions())
                        .setNextPageToken(page.more() ? token(page.lastSeq()) : "")
                        .setResumeToken(ResumeTokens.of(snapshot))
                        .build());
    }

    /**
     * Changes of matching actions from now on, after the current state of a watched id, or after
     * the actions that changed since a List's resume token.
     */
    public Multi<Action> watch(WatchActionsRequest request) {
        return Multi.createFrom().deferred(() -> {
            Predicate<Action> matches = check(request);
            if (request.getResumeToken().isEmpty() && request.getId().isEmpty()) {
                return changes.stream().select().where(matches);
            }
            Uni<List<Action>> first = request.getResumeToken().isEmpty()
                    ? current(request.getId())
                    : changedAfter(ResumeTokens.snapshot(request.getResumeToken()));
            return changes.streamAfter(first).select().where(matches);
        });
    }

    /**
     * Checks a watch request, as {@link #watch} does when it starts: for a caller that must refuse a
     * bad request before it answers (an SSE response is committed when its stream starts).
     */
    public Predicate<Action> check(WatchActionsRequest request) {
        if (!request.getResumeToken().isEmpty()) {
            ResumeTokens.snapshot(request.getResumeToken());
        }
        return matcher(request);
    }

    private Uni<List<Action>> current(String id) {
        return id.isEmpty() ? Uni.createFrom().item(List.of()) : get(id).map(List::of);
    }

    private Uni<List<Action>> changedAfter(String snapshot) {
        return queries.changedAfter(snapshot, MAX_RESUMED_ACTIONS + 1).map(actions -> {
            if (actions.size() > MAX_RESUMED_ACTIONS) {
                throw new InvalidRequestException(
                        "resume_token",
                        "more than " + MAX_RESUMED_ACTIONS
                                + " actions changed since this token; list again and watch with the new token");
            }
            return actions;
        });
    }

    private static Predicate<Action> matcher(WatchActionsRequest request) {
        checkEnums(request.getStatusList(), request.getOperationList());
        if (!request.getId().isEmpty()) {
            ActionIds.requireValid("id", request.getId());
        }
        BiPredicate<String, String> target = deviceNamedBy(request.getTarget());
        BiPredicate<String, String> host = deviceNamedBy(request.getHost());
        return action ->
                (request.getStatusCount() == 0 || request.getStatusList().contains(action.getStatus()))
                        && (request.getOperationCount() == 0
                                || request.getOperationList().contains(action.getOperation()))
                        && target.test(action.getTarget(), action.getTargetName())
                        && host.test(action.getHost(), action.getHostName())
                        && (request.getId().isEmpty() || request.getId().equals(action.getId()));
    }

    /**
     * Whether a device (its id and name) is the one a filter names by id, serial or name, as the list filters and
     * submit's target do; an empty filter names every device. The id a serial gives is derived once.
     */
    private static BiPredicate<String, String> deviceNamedBy(String filter) {
        if (filter.isEmpty()) {
            return (id, name) -> true;
        }
        String idOfSerial =
                DeviceIdentity.deviceId(Device.newBuilder().setSerial(filter).build());
        return (id, name) -> filter.equals(id) || idOfSerial.equals(id) || filter.equals(name);
    }

    private static LedgerQueries.Filter filter(ListActionsRequest request) {
        checkEnums(request.getStatusList(), request.getOperationList());
        OffsetDateTime since = null;
        if (request.hasSince()) {
            if (!Timestamps.isValid(request.getSince())) {
                throw new InvalidRequestException("since", "not a valid timestamp");
            }
            since = OffsetDateTime.ofInstant(
                    Instant.ofEpochSecond(
                            request.getSince().getSeconds(), request.getSince().getNanos()),
                    ZoneOffset.UTC);
        }
        return new LedgerQueries.Filter(
                request.getStatusList(),
                request.getOperationList(),
                TextFields.check("target", request.getTarget(), MAX_FILTER_LENGTH),
                TextFields.check("host", request.getHost(), MAX_FILTER_LENGTH),
                since);
    }

    private static void checkEnums(List<ActionStatus> statuses, List<Operation> operations) {
        if (statuses.stream()
                .anyMatch(s -> s == ActionStatus.UNRECOGNIZED || s == ActionStatus.ACTION_STATUS_UNSPECIFIED)) {
            throw new InvalidRequestException(
                    "status", "unknown status (one of QUEUED, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED)");
        }
        if (operations.stream().anyMatch(o -> o == Operation.UNRECOGNIZED || o == Operation.OPERATION_UNSPECIFIED)) {
            throw new InvalidRequestException("operation", "unknown operation (one of TRACE, REPLAY, REPORT, EXEC)");
        }
    }

    private static int pageSize(int requested) {
        if (requested < 0 || requested > MAX_PAGE_SIZE) {
            throw new InvalidRequestException(
                    "page_size", "must be between 0 and " + MAX_PAGE_SIZE + ", got " + requested);
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : requested;
    }

    private static long afterSeq(String token) {
        if (token.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(TOKEN_PREFIX)) {
                long seq = Long.parseLong(decoded.substring(TOKEN_PREFIX.length()));
                if (seq > 0) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new InvalidRequestException("page_token", "not a token from a previous listing");
    }

    private static String token(long seq) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((TOKEN_PREFIX + seq).getBytes(StandardCharsets.UTF_8));
    }
}
