package dev.workcell.agent.device;

/** A scan of the agent's devices finished (a CDI event, fired after every scan): what was there before and what is there now. */
public record DevicesScanned(AgentDevices previous, AgentDevices current) {

    /** Whether a target's state or health differs from the previous scan. */
    public boolean statusesChanged() {
        return !previous.statuses().equals(current.statuses());
    }
}
