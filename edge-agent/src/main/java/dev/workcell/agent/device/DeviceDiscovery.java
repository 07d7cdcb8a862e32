package dev.workcell.agent.device;

import dev.workcell.proto.v1.Device;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Keeps the agent's view of its devices current: scans once when created, then every interval and
 * on demand on a thread of its own, and tells the listener about every scan.
 */
public final class DeviceDiscovery {

    private static final Logger LOG = Logger.getLogger(DeviceDiscovery.class);

    private final Device host;
    private final Optional<Boolean> serveHost;
    private final List<Device> declared;
    private final Optional<AndroidDiscovery> android;
    private final LossConfirmation losses;
    private final Consumer<DevicesScanned> listener;
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "device-discovery");
        thread.setDaemon(true);
        return thread;
    });
    private volatile AgentDevices current;

    /**
     * Scans once, so the first Hello lists the devices present at start, then every interval.
     *
     * @param android how to find Android devices; empty when adb discovery is off
     * @param losses what holds back the loss of an Android device until it is confirmed
     */
    DeviceDiscovery(
            Device host,
            Optional<Boolean> serveHost,
            List<Device> declared,
            Optional<AndroidDiscovery> android,
            Duration interval,
            LossConfirmation losses,
            Consumer<DevicesScanned> listener) {
        this.host = host;
        this.serveHost = serveHost;
        this.declared = List.copyOf(declared);
        this.android = android;
        this.losses = losses;
        this.listener = listener;
        this.current = look();
        scanner.scheduleWithFixedDelay(this::scan, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The devices as the last scan saw them. */
    public AgentDevices current() {
        return current;
    }

    /** Scans again now, without waiting for the interval; returns at once. */
    public void rescan() {
        try {
            scanner.execute(this::scan);
        } catch (RejectedExecutionException stopped) {
            LOG.debug("not scanning devices: discovery has stopped");
        }
    }

    /** Stops scanning. */
    void stop() {
        scanner.shutdownNow();
    }

    private void scan() {
        try {
            AgentDevices previous = current;
            current = look();
            if (!previous.targets().equals(current.targets())
                    || !previous.statuses().equals(current.statuses())) {
                LOG.infof("devices now: %s", summary(current));
            }
            listener.accept(new DevicesScanned(previous, current));
        } catch (RuntimeException e) {
            LOG.errorf(e, "scanning devices failed; trying again at the next scan");
        }
    }

    /** Scans; a loss held back for confirmation gets a scan of its own when its window ends. */
    private synchronized AgentDevices look() {
        List<ObservedDevice> found =
                losses.confirm(android.map(AndroidDiscovery::scan).orElse(List.of()), System.nanoTime());
        losses.recheckAfter().ifPresent(window -> schedule(window.plusMillis(50)));
        return AgentDevices.of(host, serveHost, declared, found);
    }

    private void schedule(Duration delay) {
        try {
            scanner.schedule(this::scan, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            LOG.debug("not scanning devices: discovery has stopped");
        }
    }

    /** Each target as "serial (name) STATE health". */
    static List<String> summary(AgentDevices devices) {
        return devices.observed().stream()
                .map(device -> device.serial() + " (" + device.device().getName() + ") " + device.state() + " "
                        + device.health())
                .toList();
    }
}
