package dev.workcell.agent.device;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.workcell.agent.config.AgentConfig;

/** Builds the agent's devices from its configuration. */
public class DeviceBeans {

    @Produces
    @Singleton
    AgentDevices agentDevices(AgentConfig config) {
        return AgentDevices.of(
                HostDevice.describe(config.hostName().orElseGet(HostDevice::machineName)),
                config.targets().orElse(List.of()),
                config.serveHost());
    }
}
