package dev.workcell.controlplane.pending;

import dev.workcell.controlplane.action.ActionIds;
import dev.workcell.controlplane.action.LedgerQueries;
import dev.workcell.controlplane.action.QueuePositions;
import dev.workcell.controlplane.db.DatabaseTime;
import dev.workcell.controlplane.dimension.DimensionMatcher;
import dev.workcell.controlplane.dimension.DimensionSets;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.pending.DeviceStates.DeviceState;
import dev.workcell.controlplane.pending.DeviceStates.Work;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.BusyDevice;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.PendingReason;
import dev.workcell.proto.v1.PendingSlice;
import dev.workcell.proto.v1.WhyPending;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Answers "why is it pending?": for a QUEUED action, per slice the matching devices and what keeps
 * each from it, its queue position, a rough start and the main reason; for another action, what it
 * does instead.
 */
@ApplicationScoped
public class WhyPendingAnswers {

    /** Busy devices listed per slice. */
    static final int MAX_BUSY_LISTED = 20;
    /** Usable devices a start estimate considers (the first by name). */
    static final int MAX_ESTIMATED_DEVICES = 50;

    private final LedgerQueries queries;
    private final DeviceStates deviceStates;
    private final QueuePositions positions;
    private final DimensionSets dimensionSets;
    private final Pool pool;

    public WhyPendingAnswers(
            LedgerQueries queries,
            DeviceStates deviceStates,
            QueuePositions positions,
            DimensionSets dimensionSets,
            Pool pool) {
        this.queries = queries;
        this.deviceStates = deviceStates;
        this.positions = positions;
        this.dimensionSets = dimensionSets;
        this.pool = pool;
    }

    /** The answer for an action; 400 for a malformed id, 404 for an unknown one (both naming "id"). */
    public Uni<WhyPending> explain(String id) {
        return Uni.createFrom()
                .item(() -> ActionIds.requireValid("id", id))
                .chain(queries::get)
                .map(found -> found.orElseThrow(() -> new NotFoundException("id", "no action " + id)))
                .chain(action -> action.getStatus() == ActionStatus.QUEUED
                        ? waiting(action)
                        : Uni.createFrom().item(notWaiting(action)));
    }

    private static WhyPending notWaiting(Action action) {
        String summary = switch (action.getStatus()) {
            case DISPATCHED ->
                "It does not wait: it was dispatched to device " + device(action) + " and is about to run.";
            case RUNNING ->
                "It does not wait: it runs on device " + device(action) + " since " + at(action.getStartedAt()) + ".";
            default ->
                "It does not wait: it ended " + action.getStatus() + " at " + at(action.getFinishedAt())
                        + (action.getError().isEmpty() ? "." : " (" + action.getError() + ").");
        };
        return WhyPending.newBuilder()
                .setActionId(action.getId())
                .setStatus(action.getStatus())
                .setReason(PendingReason.NOT_WAITING)
                .setSummary(summary)
                .build();
    }

    /** When the waiting action's next attempt is due, and when its slice gives way (or it expires). */
    private record Due(OffsetDateTime notBefore, OffsetDateTime sliceExpiresAt) {}

    private Uni<Due> due(String id) {
        return pool.preparedQuery(
                        "SELECT not_before, COALESCE(slice_deadline, queue_deadline) AS slice_expires_at FROM actions WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    var row = rows.iterator().next();
                    return new Due(row.getOffsetDateTime("not_before"), row.getOffsetDateTime("slice_expires_at"));
                });
    }

    private Uni<WhyPending> waiting(Action action) {
        boolean byTarget = action.getSlicesCount() == 0;
        return due(action.getId())
                .chain(due -> deviceStates
                        .of(action.getOperation(), byTarget ? action.getTarget() : null)
                        .chain(devices -> dimensionSets.refresh().replaceWith(devices))
                        .chain(devices -> {
                            List<DimensionMatcher> matchers = byTarget
                                    ? List.of()
                                    : action.getSlicesList().stream()
                                            .map(slice -> DimensionMatcher.ofSpec(slice.getDimensionsMap()))
                                            .toList();
                            List<SliceDevices> slices = new ArrayList<>();
                            if (byTarget) {
                                slices.add(SliceDevices.of(devices, null));
                            } else {
                                matchers.forEach(matcher -> slices.add(SliceDevices.of(devices, matcher)));
                            }
                            SliceDevices current = slices.get(byTarget ? 0 : action.getSlice());
                            Set<Long> setIds = new TreeSet<>();
                            current.matching()
                                    .forEach(device -> setIds.addAll(dimensionSets.matching(device.dimensions())));
                            return positions
                                    .of(
                                            action.getId(),
                                            current.matching().stream()
                                                    .map(DeviceState::id)
                                                    .toList(),
                                            setIds)
                                    .chain(position -> durations(slices, current, position.ahead())
                                            .map(durations -> answer(
                                                    action, due, devices, matchers, slices, current, position,
                                                    durations)));
                        }));
    }

    private Uni<Map<Work, Duration>> durations(List<SliceDevices> slices, SliceDevices current, List<Operation> ahead) {
        Set<Work> works = new LinkedHashSet<>();
        slices.forEach(slice -> slice.busy().stream()
                .limit(MAX_BUSY_LISTED)
                .forEach(device -> works.add(
                        new Work(device.id(), device.running().orElseThrow().operation()))));
        List<DeviceState> usable =
                current.usable().stream().limit(MAX_ESTIMATED_DEVICES).toList();
        usable.forEach(device -> {
            device.running().ifPresent(running -> works.add(new Work(device.id(), running.operation())));
            ahead.stream().distinct().forEach(operation -> works.add(new Work(device.id(), operation)));
        });
        return deviceStates.recentDurations(works);
    }

    private WhyPending answer(
            Action action,
            Due due,
            List<DeviceState> devices,
            List<DimensionMatcher> matchers,
            List<SliceDevices> slices,
            SliceDevices current,
            QueuePositions.Position position,
            Map<Work, Duration> durations) {
        boolean byTarget = matchers.isEmpty();
        int currentIndex = byTarget ? 0 : action.getSlice();
        int ahead = Math.max(0, position.position() - 1);
        int held = Math.min(current.free().size(), ahead);
        Instant now = Instant.now();
        WhyPending.Builder why = WhyPending.newBuilder()
                .setActionId(action.getId())
                .setStatus(action.getStatus())
                .setSlice(currentIndex)
                .setSliceExpiresAt(DatabaseTime.toProto(due.sliceExpiresAt()));
        for (int i = 0; i < slices.size(); i++) {
            SliceDevices slice = slices.get(i);
            PendingSlice.Builder counted = PendingSlice.newBuilder()
                    .setMatching(slice.matching().size())
                    .setBusy(slice.busy().size())
                    .setOffline(slice.offline().size())
                    .setQuarantined(slice.quarantined().size())
                    .setUnapproved(slice.unapproved().size())
                    .setDraining(slice.draining().size())
                    .setHeld(i == currentIndex ? held : 0)
                    .setFree(slice.free().size() - (i == currentIndex ? held : 0));
            if (byTarget) {
                counted.setTarget(action.getTarget());
            } else {
                counted.putAllDimensions(action.getSlices(i).getDimensionsMap());
            }
            slice.busy().stream()
                    .limit(MAX_BUSY_LISTED)
                    .forEach(device -> counted.addBusyDevices(busy(device, durations)));
            if (slice.matching().isEmpty()) {
                counted.setFailingDimension(
                        byTarget ? "target" : SliceDevices.failingDimension(devices, matchers.get(i)));
            }
            why.addSlices(counted);
        }
        boolean neverRuns = slices.subList(currentIndex, slices.size()).stream()
                .allMatch(slice -> slice.matching().isEmpty());
        if (neverRuns) {
            String dimension = why.getSlices(currentIndex).getFailingDimension();
            return why.setReason(PendingReason.NO_MATCHING_DEVICE)
                    .setFailingDimension(dimension)
                    .setSummary(
                            byTarget
                                    ? "It can never run: no agent that is not revoked serves its target device "
                                            + action.getTarget() + " for " + action.getOperation() + "."
                                    : "It can never run: no device left matches dimension " + dimension + " '"
                                            + action.getSlices(currentIndex)
                                                    .getDimensionsMap()
                                                    .get(dimension) + "'"
                                            + (currentIndex < slices.size() - 1 ? " (nor do later slices)" : "") + ".")
                    .build();
        }
        why.setQueuePosition(position.position());
        StartEstimate.of(
                        current.usable().stream().limit(MAX_ESTIMATED_DEVICES).toList(),
                        position.ahead(),
                        durations,
                        now)
                .map(start -> due.notBefore().toInstant().isAfter(start)
                        ? due.notBefore().toInstant()
                        : start)
                .ifPresent(start -> why.setExpectedStart(DatabaseTime.toProto(start.atOffset(ZoneOffset.UTC))));
        return reason(why, action, due, current, ahead, held, now).build();
    }

    private static WhyPending.Builder reason(
            WhyPending.Builder why, Action action, Due due, SliceDevices current, int ahead, int held, Instant now) {
        int devices = current.matching().size();
        if (current.matching().isEmpty()) {
            return why.setReason(PendingReason.NEXT_SLICE)
                    .setSummary("No device left matches slice " + action.getSlice()
                            + "; it waits for the next slice, from " + at(why.getSliceExpiresAt()) + ".");
        }
        if (due.notBefore().toInstant().isAfter(now)) {
            return why.setReason(PendingReason.RETRY_BACKOFF)
                    .setSummary("Attempt " + action.getAttempt() + " waits out its retry backoff until "
                            + at(DatabaseTime.toProto(due.notBefore())) + ".");
        }
        int companions = action.getSlicesCount() == 0
                ? 0
                : action.getSlices(action.getSlice()).getCompanionsCount();
        if (current.free().size() > held && companions > 0) {
            return why.setReason(PendingReason.COMPANIONS_NOT_FREE)
                    .setSummary("It needs a matching device and "
                            + plural(companions, "companion device") + " of the same host free together; "
                            + plural(current.free().size() - held, "matching device")
                            + " free, but no host has its companions free as well.");
        }
        if (current.free().size() > held) {
            return why.setReason(PendingReason.DISPATCHING).setSummary("A free matching device is about to take it.");
        }
        if (ahead > 0 && (held > 0 || !current.busy().isEmpty())) {
            return why.setReason(PendingReason.ACTIONS_AHEAD)
                    .setSummary("Queue position " + (ahead + 1) + ": " + ahead
                            + (ahead == 1 ? " waiting action goes" : " waiting actions go") + " first on its "
                            + plural(devices, "matching device")
                            + (current.busy().isEmpty()
                                    ? "."
                                    : ", " + current.busy().size() + " of them busy."));
        }
        if (!current.busy().isEmpty()) {
            BusyDevice first = why.getSlices(why.getSlice()).getBusyDevices(0);
            return why.setReason(PendingReason.DEVICES_BUSY)
                    .setSummary((devices == 1
                                    ? "Its device is busy: "
                                    : "All its " + devices + " usable matching devices are busy; ")
                            + first.getDeviceName() + " runs action " + first.getActionId()
                            + " (" + first.getOperation() + ")"
                            + (first.hasExpectedEnd() ? " until about " + at(first.getExpectedEnd()) : "") + ".");
        }
        record Blocker(PendingReason reason, int count, String what) {}
        Blocker blocker = Stream.of(
                        new Blocker(
                                PendingReason.DEVICES_OFFLINE, current.offline().size(), "offline"),
                        new Blocker(
                                PendingReason.DEVICES_QUARANTINED,
                                current.quarantined().size(),
                                "in quarantine"),
                        new Blocker(
                                PendingReason.DEVICES_UNAPPROVED,
                                current.unapproved().size(),
                                "waiting for approval"),
                        new Blocker(
                                PendingReason.DEVICES_DRAINING,
                                current.draining().size(),
                                "on draining agents"))
                .max(Comparator.comparingInt(Blocker::count))
                .orElseThrow();
        return why.setReason(blocker.reason())
                .setSummary((devices == 1
                                ? "Its device is " + blocker.what()
                                : "Of its " + devices + " matching devices none takes work: " + blocker.count() + " "
                                        + blocker.what())
                        + ".");
    }

    private static BusyDevice busy(DeviceState device, Map<Work, Duration> durations) {
        DeviceStates.Running running = device.running().orElseThrow();
        BusyDevice.Builder busy = BusyDevice.newBuilder()
                .setDevice(device.id())
                .setDeviceName(device.name())
                .setActionId(running.actionId())
                .setOperation(running.operation())
                .setStatus(running.status())
                .setSince(DatabaseTime.toProto(running.since()));
        StartEstimate.end(device, durations)
                .ifPresent(end -> busy.setExpectedEnd(DatabaseTime.toProto(end.atOffset(ZoneOffset.UTC))));
        return busy.build();
    }

    private static String device(Action action) {
        return action.getTargetName().isEmpty()
                ? action.getTarget()
                : action.getTargetName() + " (" + action.getTarget() + ")";
    }

    private static String at(com.google.protobuf.Timestamp time) {
        return Instant.ofEpochSecond(time.getSeconds()).toString();
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
