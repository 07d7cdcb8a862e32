package dev.workcell.agent.device;

import dev.workcell.proto.v1.Device;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The target devices declared in configuration, for rigs the agent cannot probe: each "name" or "name=serial". */
final class DeclaredDevices {

    private DeclaredDevices() {}

    /**
     * The declared devices, the serial defaulting to the name.
     *
     * @throws IllegalArgumentException when a declaration is malformed, or a serial repeats or is the host's
     */
    static List<Device> parse(List<String> declarations, String hostSerial) {
        List<Device> devices = declarations.stream()
                .map(String::strip)
                .filter(spec -> !spec.isEmpty())
                .map(DeclaredDevices::declared)
                .toList();
        Set<String> serials = new HashSet<>();
        serials.add(hostSerial);
        for (Device device : devices) {
            if (!serials.add(device.getSerial())) {
                throw new IllegalArgumentException("target serial '" + device.getSerial() + "' appears twice"
                        + (device.getSerial().equals(hostSerial) ? ": it is the host's own serial" : ""));
            }
        }
        return devices;
    }

    private static Device declared(String spec) {
        int equals = spec.indexOf('=');
        String name = (equals < 0 ? spec : spec.substring(0, equals)).strip();
        String serial = (equals < 0 ? name : spec.substring(equals + 1)).strip();
        if (name.isEmpty() || serial.isEmpty()) {
            throw new IllegalArgumentException("target '" + spec + "' is not 'name' or 'name=serial'");
        }
        return Device.newBuilder().setName(name).setSerial(serial).build();
    }
}
