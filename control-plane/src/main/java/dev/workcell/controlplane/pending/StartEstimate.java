package dev.workcell.controlplane.pending;

import dev.workcell.controlplane.pending.DeviceStates.DeviceState;
import dev.workcell.controlplane.pending.DeviceStates.Work;
import dev.workcell.proto.v1.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A rough start time for a waiting action: each usable device is free now or when its running
 * action should end; the actions ahead take, in order, the device free first, for as long as their
 * operation recently took there. Absent when a duration it needs is unknown.
 */
final class StartEstimate {

    private StartEstimate() {}

    private record FreeAt(Instant at, String deviceId) {}

    /** The expected end of a busy device's action, when its operation has a recent duration there. */
    static Optional<Instant> end(DeviceState device, Map<Work, Duration> durations) {
        return device.running()
                .flatMap(running -> Optional.ofNullable(durations.get(new Work(device.id(), running.operation())))
                        .map(duration -> running.since().toInstant().plus(duration)));
    }

    static Optional<Instant> of(
            List<DeviceState> usable, List<Operation> ahead, Map<Work, Duration> durations, Instant now) {
        PriorityQueue<FreeAt> devices = new PriorityQueue<>(Comparator.comparing(FreeAt::at));
        for (DeviceState device : usable) {
            if (device.running().isEmpty()) {
                devices.add(new FreeAt(now, device.id()));
            } else {
                end(device, durations)
                        .ifPresent(end -> devices.add(new FreeAt(end.isBefore(now) ? now : end, device.id())));
            }
        }
        for (Operation operation : ahead) {
            FreeAt first = devices.poll();
            if (first == null) {
                return Optional.empty();
            }
            Duration duration = durations.get(new Work(first.deviceId(), operation));
            if (duration == null) {
                return Optional.empty();
            }
            devices.add(new FreeAt(first.at().plus(duration), first.deviceId()));
        }
        return Optional.ofNullable(devices.peek()).map(FreeAt::at);
    }
}
