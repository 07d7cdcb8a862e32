package dev.workcell.agent.device;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Hardware;
import dev.workcell.proto.v1.Os;
import dev.workcell.proto.v1.OsKind;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Describes an Android device as a Device, from its adb listing and its system properties. */
final class AndroidDevice {

    /** Labels for capability matching, each from the first of its properties that is set. */
    private static final Map<String, String[]> LABELS = Map.of(
            "manufacturer", new String[] {"ro.product.manufacturer"},
            "gpu", new String[] {"ro.hardware.egl"},
            "vulkan", new String[] {"ro.hardware.vulkan"},
            "platform", new String[] {"ro.board.platform", "ro.hardware"},
            "build", new String[] {"ro.build.id"},
            "emulator", new String[] {"ro.boot.qemu", "ro.kernel.qemu"});

    private AndroidDevice() {}

    /** What adb's listing alone tells about a device it cannot query (offline, unauthorized): its serial and model. */
    static Device listed(AdbEntry entry) {
        return Device.newBuilder()
                .setSerial(entry.serial())
                .setName(model(entry).orElse(entry.serial()))
                .setOs(Os.newBuilder().setKind(OsKind.ANDROID).setName("Android"))
                .setHardware(Hardware.newBuilder().setProduct(model(entry).orElse("")))
                .build();
    }

    /** The device as its properties describe it: model, Android release and SDK level, CPU, ABIs and GPU labels. */
    static Device described(AdbEntry entry, Map<String, String> properties) {
        String model =
                property(properties, "ro.product.model").or(() -> model(entry)).orElse(entry.serial());
        String release = property(properties, "ro.build.version.release").orElse("");
        Device.Builder device = Device.newBuilder()
                .setSerial(entry.serial())
                .setName(model)
                .setOs(Os.newBuilder()
                        .setKind(OsKind.ANDROID)
                        .setName(release.isEmpty() ? "Android" : "Android " + release)
                        .setVersion(release)
                        .setApiLevel(property(properties, "ro.build.version.sdk")
                                .map(AndroidDevice::number)
                                .orElse(0)))
                .setHardware(Hardware.newBuilder()
                        .setProduct(model)
                        .setCpu(cpu(properties))
                        .addAllAbis(abis(properties)));
        LABELS.forEach((label, keys) -> Arrays.stream(keys)
                .flatMap(key -> property(properties, key).stream())
                .findFirst()
                .ifPresent(value -> device.putLabels(label, value)));
        return device.build();
    }

    /** The system on chip where Android names it (12 and later), else the board platform. */
    private static String cpu(Map<String, String> properties) {
        Optional<String> soc = property(properties, "ro.soc.model")
                .map(model -> property(properties, "ro.soc.manufacturer")
                        .map(maker -> maker + " " + model)
                        .orElse(model));
        return soc.or(() -> property(properties, "ro.board.platform"))
                .or(() -> property(properties, "ro.hardware"))
                .orElse("");
    }

    private static List<String> abis(Map<String, String> properties) {
        return property(properties, "ro.product.cpu.abilist")
                .or(() -> property(properties, "ro.product.cpu.abi"))
                .map(list -> Arrays.stream(list.split(","))
                        .map(String::strip)
                        .filter(abi -> !abi.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    /** adb lists the model with underscores for spaces ("Pixel_8"). */
    private static Optional<String> model(AdbEntry entry) {
        return Optional.ofNullable(entry.attributes().get("model")).map(model -> model.replace('_', ' '));
    }

    private static Optional<String> property(Map<String, String> properties, String key) {
        return Optional.ofNullable(properties.get(key)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int number(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
