package dev.workcell.agent.device;

import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.config.AgentConfig.Discovery;
import dev.workcell.proto.v1.Device;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/** Builds the agent's device discovery from its configuration; every scan is fired as a {@link DevicesScanned} event. */
public class DeviceBeans {

    @Produces
    @Singleton
    DeviceDiscovery deviceDiscovery(AgentConfig config, Event<DevicesScanned> scans) {
        Discovery discovery = config.discovery();
        Device host =
                HostDevice.describe(config.hostName().orElseGet(HostDevice::machineName), discovery.probeTimeout());
        List<Device> declared = DeclaredDevices.parse(config.targets().orElse(List.of()), host.getSerial());
        if (!discovery.adbEnabled() && declared.isEmpty() && !config.serveHost().orElse(true)) {
            throw new IllegalArgumentException(
                    "the agent has no target: no targets are declared, serve-host is false and adb discovery is off");
        }
        Optional<AndroidDiscovery> android = discovery.adbEnabled()
                ? Optional.of(new AndroidDiscovery(discovery.adb(), discovery.probeTimeout()))
                : Optional.empty();
        return new DeviceDiscovery(
                host,
                config.serveHost(),
                declared,
                android,
                discovery.interval(),
                new LossConfirmation(discovery.lossConfirmation()),
                scans::fire);
    }

    void stop(@Disposes DeviceDiscovery discovery) {
        discovery.stop();
    }
}
