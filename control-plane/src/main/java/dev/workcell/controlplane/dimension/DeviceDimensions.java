package dev.workcell.controlplane.dimension;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Dimension;
import dev.workcell.proto.v1.OsKind;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A device's dimensions, derived from what its agent discovered and labelled: os, os_version, sdk,
 * abi, model, manufacturer, cpu, cores, gpu, gpu_vendor, host, id, serial, name, plus every label
 * under its own key (an admin's label replacing the agent's of the same key). Keys are lowercase; a
 * key has one or more values.
 */
public final class DeviceDimensions {

    private DeviceDimensions() {}

    /** The dimensions of a target device served from a host (the host's id and name are its "host" values). */
    public static SortedMap<String, SortedSet<String>> of(Device device, String hostId, String hostName) {
        SortedMap<String, SortedSet<String>> dimensions = new TreeMap<>();
        device.getLabelsMap().forEach((key, value) -> add(dimensions, key.toLowerCase(Locale.ROOT), value));
        device.getAdminLabelsMap().forEach((key, value) -> {
            dimensions.remove(key);
            add(dimensions, key, value);
        });
        add(dimensions, "id", device.getId());
        add(dimensions, "serial", device.getSerial());
        add(dimensions, "name", device.getName());
        if (device.getOs().getKind() != OsKind.OS_KIND_UNSPECIFIED
                && device.getOs().getKind() != OsKind.UNRECOGNIZED) {
            add(dimensions, "os", device.getOs().getKind().name().toLowerCase(Locale.ROOT));
        }
        add(dimensions, "os_version", device.getOs().getVersion());
        if (device.getOs().getApiLevel() > 0) {
            add(dimensions, "sdk", Integer.toString(device.getOs().getApiLevel()));
        }
        device.getHardware().getAbisList().forEach(abi -> add(dimensions, "abi", abi));
        add(dimensions, "model", device.getHardware().getProduct());
        add(dimensions, "cpu", device.getHardware().getCpu());
        if (device.getHardware().getCores() > 0) {
            add(dimensions, "cores", Integer.toString(device.getHardware().getCores()));
        }
        device.getHardware().getGpusList().forEach(gpu -> {
            add(dimensions, "gpu", gpu);
            add(dimensions, "gpu_vendor", gpu.split(" ")[0]);
        });
        add(dimensions, "host", hostId);
        add(dimensions, "host", hostName);
        return dimensions;
    }

    /** The same dimensions as the contract's repeated Dimension. */
    public static List<Dimension> toProto(Map<String, ? extends Collection<String>> dimensions) {
        return dimensions.entrySet().stream()
                .map(entry -> Dimension.newBuilder()
                        .setKey(entry.getKey())
                        .addAllValues(entry.getValue())
                        .build())
                .toList();
    }

    /** The keys derived from a device's description: a label may not take one of them. */
    public static final Set<String> DERIVED_KEYS = Set.of(
            "id",
            "serial",
            "name",
            "os",
            "os_version",
            "sdk",
            "abi",
            "model",
            "cpu",
            "cores",
            "gpu",
            "gpu_vendor",
            "host");

    private static void add(SortedMap<String, SortedSet<String>> dimensions, String key, String value) {
        if (value != null && !value.isBlank()) {
            dimensions.computeIfAbsent(key, ignored -> new TreeSet<>()).add(value.trim());
        }
    }
}
