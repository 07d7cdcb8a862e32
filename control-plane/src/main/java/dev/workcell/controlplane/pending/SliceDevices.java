package dev.workcell.controlplane.pending;

import dev.workcell.controlplane.dimension.DimensionMatcher;
import dev.workcell.controlplane.pending.DeviceStates.DeviceState;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The devices one slice matches, sorted by what keeps each from work: each device under the first
 * that applies of unapproved, quarantined, offline, draining, busy, free.
 */
record SliceDevices(
        List<DeviceState> matching,
        List<DeviceState> unapproved,
        List<DeviceState> quarantined,
        List<DeviceState> offline,
        List<DeviceState> draining,
        List<DeviceState> busy,
        List<DeviceState> free) {

    /** What keeps a device from work, in the order a device is counted under. */
    enum Hold {
        UNAPPROVED,
        QUARANTINED,
        OFFLINE,
        DRAINING,
        BUSY,
        FREE
    }

    /** The devices left (served for the operation) that the matcher accepts; every device left when it is null (a target). */
    static SliceDevices of(Collection<DeviceState> devices, DimensionMatcher matcher) {
        List<DeviceState> matching = devices.stream()
                .filter(DeviceState::served)
                .filter(device -> matcher == null || matcher.matches(device.dimensions()))
                .toList();
        Map<Hold, List<DeviceState>> held = matching.stream().collect(Collectors.groupingBy(SliceDevices::hold));
        Function<Hold, List<DeviceState>> under = hold -> held.getOrDefault(hold, List.of());
        return new SliceDevices(
                matching,
                under.apply(Hold.UNAPPROVED),
                under.apply(Hold.QUARANTINED),
                under.apply(Hold.OFFLINE),
                under.apply(Hold.DRAINING),
                under.apply(Hold.BUSY),
                under.apply(Hold.FREE));
    }

    static Hold hold(DeviceState device) {
        if (!device.approved()) {
            return Hold.UNAPPROVED;
        }
        if (device.quarantined()) {
            return Hold.QUARANTINED;
        }
        if (!device.online()) {
            return Hold.OFFLINE;
        }
        if (!device.undrained()) {
            return Hold.DRAINING;
        }
        return device.running().isPresent() ? Hold.BUSY : Hold.FREE;
    }

    /** Devices that take work now or once their action ends. */
    List<DeviceState> usable() {
        return Stream.concat(free.stream(), busy.stream()).toList();
    }

    /**
     * The dimension that keeps the devices left from matching: the first no device left has a
     * matching value for, else the one most of them fail on first.
     */
    static String failingDimension(Collection<DeviceState> devices, DimensionMatcher matcher) {
        List<DeviceState> left = devices.stream().filter(DeviceState::served).toList();
        Map<String, SortedSet<String>> known = new TreeMap<>();
        left.forEach(device -> device.dimensions()
                .forEach((key, values) ->
                        known.computeIfAbsent(key, ignored -> new TreeSet<>()).addAll(values)));
        return matcher.unmetBy(known)
                .orElseGet(() -> left.stream()
                        .flatMap(device -> matcher.unmetBy(device.dimensions()).stream())
                        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()))
                        .entrySet()
                        .stream()
                        .max(Comparator.comparing(Map.Entry::getValue))
                        .map(Map.Entry::getKey)
                        .orElse(matcher.keys().iterator().next()));
    }
}
