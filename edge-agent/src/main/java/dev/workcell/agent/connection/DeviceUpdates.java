package dev.workcell.agent.connection;

import dev.workcell.agent.device.DevicesScanned;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Tells the control plane about each device scan on the open stream, without reconnecting: a
 * DevicesChanged when targets came, went or changed, and a heartbeat at once when a state changed.
 */
@ApplicationScoped
class DeviceUpdates {

    private final AgentProtocol protocol;

    DeviceUpdates(AgentProtocol protocol) {
        this.protocol = protocol;
    }

    void scanned(@Observes DevicesScanned scan) {
        Session session = protocol.current();
        if (session == null) {
            return;
        }
        session.announce(protocol.targets(scan.current()));
        if (scan.statusesChanged()) {
            session.heartbeat();
        }
    }
}
