package dev.workcell.agent.device;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/** The adb executable: lists attached devices, reads a device's properties and probes its state. */
final class Adb {

    private final Path executable;
    private final Duration timeout;

    Adb(Path executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** Finds adb: a name containing a '/' is a path, any other name is looked up on the PATH. */
    static Optional<Path> locate(String adb, String searchPath) {
        if (isPath(adb)) {
            return Optional.of(Path.of(adb)).filter(Adb::isExecutableFile);
        }
        return Stream.of(searchPath.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, adb))
                .filter(Adb::isExecutableFile)
                .findFirst();
    }

    /** Why {@link #locate} found nothing, e.g. "no adb at /opt/adb: it is a directory (workcell.agent.discovery.adb)". */
    static String whyMissing(String adb) {
        if (!isPath(adb)) {
            return "no '" + adb + "' on the PATH (workcell.agent.discovery.adb)";
        }
        Path path = Path.of(adb);
        String why = !Files.exists(path)
                ? "no such file"
                : Files.isDirectory(path) ? "it is a directory" : "it is not executable";
        return "no adb at " + path + ": " + why + " (workcell.agent.discovery.adb)";
    }

    /** Whether the configured adb is a path rather than a name to look up on the PATH. */
    static boolean isPath(String adb) {
        return adb.contains(File.separator);
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    Path executable() {
        return executable;
    }

    /** {@code adb devices -l}. */
    ToolOutput devices() {
        return run("devices", "-l");
    }

    /** {@code adb -s SERIAL shell getprop}: every system property of the device. */
    ToolOutput properties(String serial) {
        return run("-s", serial, "shell", "getprop");
    }

    /** {@code adb -s SERIAL get-state}: prints "device" when adb can reach the device. */
    ToolOutput state(String serial) {
        return run("-s", serial, "get-state");
    }

    private ToolOutput run(String... arguments) {
        return ToolCommand.run(
                timeout,
                Stream.concat(Stream.of(executable.toString()), Stream.of(arguments))
                        .toList());
    }
}
