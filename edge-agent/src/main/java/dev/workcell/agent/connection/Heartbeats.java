package dev.workcell.agent.connection;

import dev.workcell.agent.device.DeviceDiscovery;
import dev.workcell.agent.task.HeldAttempts;
import dev.workcell.proto.v1.DeviceState;
import dev.workcell.proto.v1.DeviceStatus;
import dev.workcell.proto.v1.Heartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds heartbeats: the state of every target as the last scan saw it, BUSY while an attempt runs on an ONLINE one. */
@ApplicationScoped
class Heartbeats {

    private final DeviceDiscovery devices;
    private final HeldAttempts held;

    Heartbeats(DeviceDiscovery devices, HeldAttempts held) {
        this.devices = devices;
        this.held = held;
    }

    Heartbeat now() {
        Set<String> busy = held.running().stream()
                .map(attempt -> attempt.task().getTargetSerial())
                .collect(Collectors.toSet());
        return Heartbeat.newBuilder()
                .addAllDevices(devices.current().statuses().stream()
                        .map(status -> status.getState() == DeviceState.ONLINE && busy.contains(status.getSerial())
                                ? busy(status)
                                : status)
                        .toList())
                .build();
    }

    private static DeviceStatus busy(DeviceStatus status) {
        return status.toBuilder().setState(DeviceState.BUSY).build();
    }
}
