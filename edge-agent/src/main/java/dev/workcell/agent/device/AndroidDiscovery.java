package dev.workcell.agent.device;

import dev.workcell.proto.v1.Device;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Android devices adb lists. A device is described from its properties when it becomes
 * ready and keeps that description while it stays ready; every scan probes its state. Only a
 * "device" line that answers get-state is ONLINE; any other state is OFFLINE with that state as health.
 */
final class AndroidDiscovery {

    private final String adbName;
    private final Duration timeout;
    /** Descriptions of the devices that were ready at the last scan, by serial. */
    private Map<String, Device> described = Map.of();

    private List<ObservedDevice> last = List.of();
    private final AdbTrouble trouble = new AdbTrouble();

    /**
     * @param adbName the adb executable: a path, or a name looked up on the PATH
     * @param timeout how long one adb command may take
     */
    AndroidDiscovery(String adbName, Duration timeout) {
        this.adbName = adbName;
        this.timeout = timeout;
    }

    /** The devices adb lists now, in its order; none when adb is not installed. */
    List<ObservedDevice> scan() {
        Optional<Adb> adb = locate();
        if (adb.isEmpty()) {
            described = Map.of();
            last = List.of();
            return last;
        }
        ToolOutput listing = adb.get().devices();
        if (!listing.succeeded()) {
            String health = "adb devices failed: " + listing.problem();
            trouble.failing(health);
            last = last.stream()
                    .map(device -> ObservedDevice.offline(device.device(), health))
                    .toList();
            return last;
        }
        trouble.works(adb.get().executable());
        Map<String, Device> ready = new HashMap<>();
        List<ObservedDevice> found = new ArrayList<>();
        for (AdbEntry entry : AdbEntry.parse(listing.stdout())) {
            found.add(
                    entry.ready()
                            ? probe(adb.get(), entry, ready)
                            : ObservedDevice.offline(known(entry), "adb: " + entry.state()));
        }
        described = ready;
        last = List.copyOf(found);
        return last;
    }

    private ObservedDevice probe(Adb adb, AdbEntry entry, Map<String, Device> ready) {
        Device device = described.get(entry.serial());
        if (device == null) {
            ToolOutput properties = adb.properties(entry.serial());
            if (!properties.succeeded()) {
                return ObservedDevice.offline(known(entry), "adb getprop failed: " + properties.problem());
            }
            device = AndroidDevice.described(entry, GetProp.parse(properties.stdout()));
        }
        ready.put(entry.serial(), device);
        ToolOutput state = adb.state(entry.serial());
        if (!state.succeeded() || !state.stdout().contains(AdbEntry.READY)) {
            return ObservedDevice.offline(
                    device,
                    "adb get-state: " + (state.succeeded() ? String.join(" ", state.stdout()) : state.problem()));
        }
        return ObservedDevice.online(device);
    }

    /** The last description of a device that cannot be queried now, else what its listing says. */
    private Device known(AdbEntry entry) {
        return last.stream()
                .map(ObservedDevice::device)
                .filter(device -> device.getSerial().equals(entry.serial()))
                .findFirst()
                .orElseGet(() -> AndroidDevice.listed(entry));
    }

    private Optional<Adb> locate() {
        Optional<Path> found =
                Adb.locate(adbName, Optional.ofNullable(System.getenv("PATH")).orElse(""));
        if (found.isEmpty() && Adb.isPath(adbName)) {
            trouble.failing(Adb.whyMissing(adbName));
        } else if (found.isEmpty()) {
            trouble.missing(Adb.whyMissing(adbName));
        }
        return found.map(path -> new Adb(path, timeout));
    }
}
