package dev.workcell.agent.connection;

import dev.workcell.proto.v1.DevicesChanged;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.WorkersChanged;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The targets one stream has told the control plane about (in Hello, then in DevicesChanged), and
 * the DevicesChanged that brings it up to date: devices that came or whose description changed, and
 * serials that went.
 */
final class LiveTargets {

    private final Map<String, TargetDevice> announced = new LinkedHashMap<>();
    /** Serials of each DevicesChanged's added devices, oldest first, until its WorkersChanged answers. */
    private final Deque<List<String>> awaitingWorkers = new ArrayDeque<>();

    LiveTargets(List<TargetDevice> hello) {
        hello.forEach(target -> announced.put(target.getDevice().getSerial(), target));
    }

    /** What changed since the last announcement, now taken as announced; empty when nothing did. */
    synchronized Optional<DevicesChanged> update(List<TargetDevice> targets) {
        DevicesChanged.Builder changed = DevicesChanged.newBuilder();
        Map<String, TargetDevice> now = new LinkedHashMap<>();
        targets.forEach(target -> now.put(target.getDevice().getSerial(), target));
        now.forEach((serial, target) -> {
            if (!target.equals(announced.get(serial))) {
                changed.addAdded(target);
            }
        });
        announced.keySet().stream().filter(serial -> !now.containsKey(serial)).forEach(changed::addRemoved);
        if (changed.getAddedCount() == 0 && changed.getRemovedCount() == 0) {
            return Optional.empty();
        }
        announced.clear();
        announced.putAll(now);
        awaitingWorkers.add(changed.getAddedList().stream()
                .map(target -> target.getDevice().getSerial())
                .toList());
        return Optional.of(changed.build());
    }

    /** Each added worker of the control plane's answer as "id (serial)" (answers come in the order of the announcements). */
    synchronized List<String> answered(WorkersChanged workers) {
        List<String> serials = Optional.ofNullable(awaitingWorkers.poll()).orElse(List.of());
        List<String> named = new ArrayList<>();
        for (int i = 0; i < workers.getAddedCount(); i++) {
            named.add(workers.getAdded(i).getId() + " (" + (i < serials.size() ? serials.get(i) : "?") + ")");
        }
        return named;
    }
}
