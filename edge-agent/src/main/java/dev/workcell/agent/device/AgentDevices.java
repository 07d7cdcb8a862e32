package dev.workcell.agent.device;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.workcell.proto.v1.Device;

/** The host the agent runs on and the target devices it runs work on, in the order sent in Hello. */
public record AgentDevices(Device host, List<Device> targets) {

    public AgentDevices {
        targets = List.copyOf(targets);
    }

    /**
     * Builds the targets: the host when it serves (by default only when nothing is declared), then
     * each declared "name" or "name=serial" (the serial defaults to the name).
     *
     * @throws IllegalArgumentException when a declaration is malformed, a serial repeats, or there is no target
     */
    public static AgentDevices of(Device host, List<String> declared, Optional<Boolean> serveHost) {
        List<Device> targets = new ArrayList<>();
        if (serveHost.orElse(declared.isEmpty())) {
            targets.add(host);
        }
        declared.stream().map(String::strip).filter(spec -> !spec.isEmpty()).map(AgentDevices::declared).forEach(targets::add);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("the agent has no target: no targets are declared and serve-host is false");
        }
        Set<String> serials = new HashSet<>();
        for (Device target : targets) {
            if (!serials.add(target.getSerial())) {
                throw new IllegalArgumentException("target serial '" + target.getSerial() + "' appears twice");
            }
        }
        return new AgentDevices(host, targets);
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
