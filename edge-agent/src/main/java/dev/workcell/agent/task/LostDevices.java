package dev.workcell.agent.task;

import dev.workcell.agent.device.DevicesScanned;
import dev.workcell.agent.device.ObservedDevice;
import dev.workcell.proto.v1.Device;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Fails the attempts whose target device went offline or away, after each device scan: their
 * process trees are killed and they report DEVICE_LOST (retryable), not waiting for their timeout.
 */
@ApplicationScoped
public class LostDevices {

    private static final Logger LOG = Logger.getLogger(LostDevices.class);

    private final HeldAttempts held;

    LostDevices(HeldAttempts held) {
        this.held = held;
    }

    void scanned(@Observes DevicesScanned scan) {
        for (Attempt attempt : held.running()) {
            String serial = attempt.task().getTargetSerial();
            scan.current()
                    .unavailable(serial)
                    .filter(why -> !attempt.isCancelled())
                    .ifPresent(why -> {
                        String error = "lost device " + name(serial, scan) + " during the attempt: " + why;
                        LOG.warnf("attempt %s: %s; stopping it", attempt.key(), error);
                        attempt.loseDevice(error);
                    });
        }
    }

    /** "SERIAL (model)" with the name the device was last known by. */
    private static String name(String serial, DevicesScanned scan) {
        return scan.current()
                .find(serial)
                .or(() -> scan.previous().find(serial))
                .map(ObservedDevice::device)
                .map(Device::getName)
                .filter(name -> !name.equals(serial))
                .map(name -> serial + " (" + name + ")")
                .orElse(serial);
    }
}
