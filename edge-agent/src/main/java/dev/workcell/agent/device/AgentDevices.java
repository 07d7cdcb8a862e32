package dev.workcell.agent.device;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.DeviceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The host the agent runs on and the target devices it runs work on, as one scan saw them, in the order sent to the control plane. */
public record AgentDevices(Device host, List<ObservedDevice> observed) {

    public AgentDevices {
        observed = List.copyOf(observed);
    }

    /**
     * Chooses the targets: the host when it serves (by default only when nothing is declared and adb
     * finds no ready device: an offline or unauthorized entry cannot take the host's work), then the
     * declared devices, then the Android devices. An Android device with a declared serial takes the
     * declared device's place, described and probed by adb but keeping its declared name.
     */
    static AgentDevices of(
            Device host, Optional<Boolean> serveHost, List<Device> declared, List<ObservedDevice> android) {
        List<ObservedDevice> targets = new ArrayList<>();
        if (serveHost.orElse(declared.isEmpty() && android.stream().noneMatch(ObservedDevice::online))) {
            targets.add(ObservedDevice.online(host));
        }
        var found =
                android.stream().collect(Collectors.toMap(ObservedDevice::serial, Function.identity(), (a, b) -> a));
        for (Device device : declared) {
            ObservedDevice adb = found.remove(device.getSerial());
            targets.add(
                    adb == null
                            ? ObservedDevice.online(device)
                            : new ObservedDevice(
                                    adb.device().toBuilder()
                                            .setName(device.getName())
                                            .build(),
                                    adb.state(),
                                    adb.health()));
        }
        android.stream()
                .filter(device ->
                        found.containsKey(device.serial()) && !device.serial().equals(host.getSerial()))
                .forEach(targets::add);
        return new AgentDevices(host, targets);
    }

    /** The target devices. */
    public List<Device> targets() {
        return observed.stream().map(ObservedDevice::device).toList();
    }

    /** The state of every target, for a heartbeat. */
    public List<DeviceStatus> statuses() {
        return observed.stream().map(ObservedDevice::status).toList();
    }

    public Optional<ObservedDevice> find(String serial) {
        return observed.stream()
                .filter(device -> device.serial().equals(serial))
                .findFirst();
    }

    /**
     * Why work on the device cannot go on: empty for the host and for an ONLINE target, else what
     * is wrong ("it is offline: adb: unauthorized", "it is no longer attached").
     */
    public Optional<String> unavailable(String serial) {
        if (serial.equals(host.getSerial())) {
            return Optional.empty();
        }
        Optional<ObservedDevice> target = find(serial);
        if (target.isEmpty()) {
            return Optional.of("it is no longer attached");
        }
        return target.filter(device -> !device.online()).map(device -> "it is offline: " + device.health());
    }
}
