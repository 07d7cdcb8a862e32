package dev.workcell.controlplane.action;

import dev.workcell.controlplane.action.SubmitValidator.RequestedSlice;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.dimension.DeviceSet;
import dev.workcell.controlplane.dimension.DimensionMatcher;
import dev.workcell.controlplane.dimension.DimensionSets;
import dev.workcell.controlplane.dimension.DimensionStore;
import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.SubmitActionResponse;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Submits by dimensions: refuses a slice asking for what no registered device ever had (nothing is
 * written then), writes the action with its slices, and offers it to the matching devices. A
 * retried submit with the same idempotency key returns the action it created.
 */
@ApplicationScoped
public class MatchingSubmits {

    private final DimensionStore dimensionStore;
    private final DimensionSets dimensionSets;
    private final Ledger ledger;
    private final LedgerQueries queries;
    private final RetryPolicy retryPolicy;
    private final AfterCommit afterCommit;
    private final WorkcellConfig.Deadlines deadlines;

    public MatchingSubmits(
            DimensionStore dimensionStore,
            DimensionSets dimensionSets,
            Ledger ledger,
            LedgerQueries queries,
            RetryPolicy retryPolicy,
            AfterCommit afterCommit,
            WorkcellConfig config) {
        this.dimensionStore = dimensionStore;
        this.dimensionSets = dimensionSets;
        this.ledger = ledger;
        this.queries = queries;
        this.retryPolicy = retryPolicy;
        this.afterCommit = afterCommit;
        this.deadlines = config.deadlines();
    }

    /** Creates the action (or returns the one its idempotency key names) for validated slices and input. */
    public Uni<SubmitActionResponse> submit(
            SubmitActionRequest request, List<RequestedSlice> slices, byte[] input, Caller caller) {
        return requireKnown(request, slices)
                .chain(() -> dimensionSets.idsOf(
                        slices.stream().map(RequestedSlice::set).toList()))
                .chain(setIds -> create(request, slices, setIds, input, caller));
    }

    private Uni<Void> requireKnown(SubmitActionRequest request, List<RequestedSlice> slices) {
        List<String> keys = slices.stream()
                .flatMap(slice -> matchers(slice.set()).stream())
                .flatMap(matcher -> matcher.keys().stream())
                .distinct()
                .toList();
        List<DimensionMatcher> all =
                slices.stream().flatMap(slice -> matchers(slice.set()).stream()).toList();
        return dimensionStore
                .everSeen(
                        keys,
                        seen -> all.stream()
                                .allMatch(matcher -> matcher.unmetBy(seen).isEmpty()))
                .invoke(seen -> IntStream.range(0, slices.size()).forEach(i -> {
                    String prefix = request.getSlicesCount() > 0 ? "slices[" + i + "]." : "";
                    DeviceSet set = slices.get(i).set();
                    requireKnown(set.device(), prefix + "dimensions.", seen);
                    for (int companion = 0; companion < set.companions().size(); companion++) {
                        requireKnown(
                                set.companions().get(companion),
                                prefix + "companions[" + companion + "].dimensions.",
                                seen);
                    }
                }))
                .replaceWithVoid();
    }

    private static void requireKnown(DimensionMatcher dimensions, String fieldPrefix, Map<String, List<String>> seen) {
        dimensions.unmetBy(seen).ifPresent(key -> {
            throw new NotFoundException(
                    fieldPrefix + key,
                    "no registered device ever had dimension " + key + " matching '"
                            + dimensions.spec().get(key) + "'"
                            + (seen.containsKey(key)
                                    ? "; its values are " + abbreviated(seen.get(key))
                                    : "; no device has that dimension"));
        });
    }

    private static List<DimensionMatcher> matchers(DeviceSet set) {
        List<DimensionMatcher> matchers = new ArrayList<>(set.companions());
        matchers.add(0, set.device());
        return matchers;
    }

    private Uni<SubmitActionResponse> create(
            SubmitActionRequest request,
            List<RequestedSlice> requested,
            List<Long> setIds,
            byte[] input,
            Caller caller) {
        List<Ledger.Slice> slices = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            Duration expiration = requested.get(i).expiration() == null
                    ? deadlines.queue()
                    : requested.get(i).expiration();
            DeviceSet set = requested.get(i).set();
            slices.add(new Ledger.Slice(
                    setIds.get(i),
                    set.device().spec(),
                    set.companions().stream().map(DimensionMatcher::spec).toList(),
                    expiration));
        }
        Ledger.NewMatchingAction action = new Ledger.NewMatchingAction(
                ActionIds.next(),
                request.getOperation(),
                input,
                EquivalentAction.inputHash(input),
                retryPolicy.maxAttempts(),
                request.getIdempotencyKey().isEmpty() ? null : request.getIdempotencyKey(),
                slices,
                request.getExecutionTimeoutSeconds() == 0
                        ? deadlines.execution()
                        : Duration.ofSeconds(request.getExecutionTimeoutSeconds()),
                caller.id(),
                SubmitValidator.priorityOf(request));
        return ledger.insertMatching(
                        action, "submitted for dimensions " + requested.get(0).set())
                .chain(created -> {
                    if (created.isPresent()) {
                        Log.debugf(
                                "submitted %s %s for dimensions %s",
                                created.get().getId(),
                                request.getOperation(),
                                slices.get(0).dimensions());
                        afterCommit.submitted(List.of(created.get()));
                        return Uni.createFrom().item(response(created.get(), true));
                    }
                    return queries.byIdempotencyKey(request.getIdempotencyKey())
                            .map(found -> response(
                                    sameRequest(
                                            found.orElseThrow(() -> new ConflictException(
                                                    "idempotency key " + request.getIdempotencyKey()
                                                            + " collided with an action that is gone; submit again")),
                                            request,
                                            slices,
                                            input),
                                    false));
                });
    }

    /** The action an idempotency key names, if the request is the one that created it (AIP-155); a different one is refused. */
    private static Action sameRequest(
            Action action, SubmitActionRequest request, List<Ledger.Slice> slices, byte[] input) {
        List<List<Map<String, String>>> asked =
                slices.stream().map(MatchingSubmits::specs).toList();
        List<List<Map<String, String>>> stored =
                action.getSlicesList().stream().map(MatchingSubmits::specs).toList();
        String difference = action.getOperation() != request.getOperation()
                ? "operation " + request.getOperation() + ", not " + action.getOperation()
                : !asked.equals(stored)
                        ? "dimensions " + asked + ", not " + stored
                        : !Arrays.equals(EquivalentAction.canonicalBytes(action.getInput()), input)
                                ? "another input"
                                : null;
        if (difference != null) {
            throw new IdempotencyKeyReusedException(request.getIdempotencyKey(), action.getId(), difference);
        }
        return action;
    }

    /** A slice's dimensions, then each companion's. */
    private static List<Map<String, String>> specs(Ledger.Slice slice) {
        List<Map<String, String>> specs = new ArrayList<>();
        specs.add(slice.dimensions());
        specs.addAll(slice.companions());
        return specs;
    }

    private static List<Map<String, String>> specs(dev.workcell.proto.v1.TaskSlice slice) {
        List<Map<String, String>> specs = new ArrayList<>();
        specs.add(slice.getDimensionsMap());
        slice.getCompanionsList().forEach(companion -> specs.add(companion.getDimensionsMap()));
        return specs;
    }

    private static String abbreviated(List<String> values) {
        return values.size() <= 10
                ? String.join(", ", values)
                : String.join(", ", values.subList(0, 10)) + " and " + (values.size() - 10) + " more";
    }

    private static SubmitActionResponse response(Action action, boolean created) {
        return SubmitActionResponse.newBuilder()
                .setAction(action)
                .setCreated(created)
                .build();
    }
}
