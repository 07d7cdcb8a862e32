package dev.workcell.agent.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host's GPUs, where it can tell: NVIDIA ones from {@code nvidia-smi -L} or the driver's
 * {@code /proc/driver/nvidia/gpus}, the others from {@code lspci}. Missing tools mean fewer names, never an error.
 */
final class HostGpus {

    private static final Pattern NVIDIA_SMI = Pattern.compile("^GPU \\d+: (.+?)(?: \\(UUID: [^)]*\\))?$");
    private static final Pattern LSPCI = Pattern.compile(
            "^\\S+ (?:VGA compatible controller|3D controller|Display controller): (.+?)(?: \\(rev \\w+\\))?$");
    private static final Pattern PROC_MODEL = Pattern.compile("^Model:\\s+(.+)$");
    private static final Path PROC_NVIDIA = Path.of("/proc/driver/nvidia/gpus");

    private HostGpus() {}

    static List<String> find(Duration timeout) {
        ToolOutput smi = ToolCommand.run(timeout, List.of("nvidia-smi", "-L"));
        List<String> nvidia = smi.succeeded() ? fromNvidiaSmi(smi.stdout()) : List.of();
        if (nvidia.isEmpty()) {
            nvidia = fromProcDriver(PROC_NVIDIA);
        }
        ToolOutput lspci = ToolCommand.run(timeout, List.of("lspci"));
        boolean nvidiaKnown = !nvidia.isEmpty();
        List<String> gpus = new ArrayList<>(nvidia);
        (lspci.succeeded() ? fromLspci(lspci.stdout()) : List.<String>of())
                .stream()
                        .filter(gpu -> !(nvidiaKnown && gpu.contains("NVIDIA")))
                        .forEach(gpus::add);
        return gpus;
    }

    /** "GPU 0: NVIDIA GeForce RTX 4090 (UUID: GPU-...)" gives "NVIDIA GeForce RTX 4090". */
    static List<String> fromNvidiaSmi(List<String> lines) {
        return matching(lines.stream(), NVIDIA_SMI);
    }

    /** "00:02.0 VGA compatible controller: Intel Corporation UHD Graphics 630 (rev 02)" gives "Intel Corporation UHD Graphics 630". */
    static List<String> fromLspci(List<String> lines) {
        return matching(lines.stream(), LSPCI);
    }

    /** The "Model:" line of each GPU's information file. */
    static List<String> fromProcDriver(Path gpus) {
        try (Stream<Path> dirs = Files.list(gpus)) {
            return matching(dirs.sorted().map(dir -> dir.resolve("information")).flatMap(HostGpus::lines), PROC_MODEL);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    private static List<String> matching(Stream<String> lines, Pattern pattern) {
        return lines.map(String::strip)
                .map(pattern::matcher)
                .filter(Matcher::matches)
                .map(match -> match.group(1).strip())
                .toList();
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException | SecurityException e) {
            return Stream.empty();
        }
    }
}
