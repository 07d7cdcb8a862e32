package dev.workcell.agent.device;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Hardware;
import dev.workcell.proto.v1.Os;
import dev.workcell.proto.v1.OsKind;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Describes the machine the agent runs on as a Device: operating system, CPU, cores, memory, GPUs and ABI. */
public final class HostDevice {

    private HostDevice() {}

    /**
     * The host as a device whose serial and name are the host name; the control plane assigns its id.
     * The CPU's vendor and architecture, which Hardware has no field for, are labels ("cpu_vendor", "arch").
     *
     * @param probeTimeout how long each GPU probe (nvidia-smi, lspci) may take
     */
    public static Device describe(String hostName, Duration probeTimeout) {
        Device.Builder host = Device.newBuilder()
                .setSerial(hostName)
                .setName(hostName)
                .setOs(os())
                .setHardware(hardware().toBuilder().addAllGpus(HostGpus.find(probeTimeout)))
                .putLabels("arch", abi(System.getProperty("os.arch")));
        field(Path.of("/proc/cpuinfo"), "vendor_id", ":").ifPresent(vendor -> host.putLabels("cpu_vendor", vendor));
        return host.build();
    }

    /** The machine's hostname. */
    public static String machineName() {
        return firstLine(Path.of("/proc/sys/kernel/hostname")).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "localhost";
            }
        });
    }

    private static Os os() {
        String osName = System.getProperty("os.name");
        return Os.newBuilder()
                .setKind(osKind(osName))
                .setName(osRelease("PRETTY_NAME").orElse(osName))
                .setVersion(System.getProperty("os.version"))
                .build();
    }

    private static OsKind osKind(String osName) {
        if (osName.startsWith("Linux")) {
            return OsKind.LINUX;
        } else if (osName.startsWith("Windows")) {
            return OsKind.WINDOWS;
        } else if (osName.startsWith("Mac")) {
            return OsKind.MACOS;
        }
        return OsKind.OS_KIND_UNSPECIFIED;
    }

    private static Hardware hardware() {
        String arch = System.getProperty("os.arch");
        return Hardware.newBuilder()
                .setProduct(firstLine(Path.of("/sys/devices/virtual/dmi/id/product_name"))
                        .orElse(""))
                .setCpu(field(Path.of("/proc/cpuinfo"), "model name", ":").orElse(arch))
                .setCores(Runtime.getRuntime().availableProcessors())
                .addAbis(abi(arch))
                .setMemoryBytes(memoryBytes())
                .build();
    }

    private static String abi(String arch) {
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    private static long memoryBytes() {
        return field(Path.of("/proc/meminfo"), "MemTotal", ":")
                .map(value -> value.replace("kB", "").strip())
                .map(kiloBytes -> Long.parseLong(kiloBytes) * 1024)
                .orElse(0L);
    }

    private static Optional<String> osRelease(String key) {
        return field(Path.of("/etc/os-release"), key, "=").map(value -> value.replaceAll("^\"|\"$", ""));
    }

    /** The value of the first "key<separator>value" line of a file, if the file and the line exist. */
    private static Optional<String> field(Path file, String key, String separator) {
        return lines(file).stream()
                .filter(line -> line.contains(separator))
                .filter(line ->
                        line.substring(0, line.indexOf(separator)).strip().equals(key))
                .map(line -> line.substring(line.indexOf(separator) + separator.length())
                        .strip())
                .findFirst();
    }

    private static Optional<String> firstLine(Path file) {
        return lines(file).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .findFirst();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
