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
        if (adb.contains(File.separator)) {
            return Optional.of(Path.of(adb)).filter(Files::isExecutable);
        }
        return Stream.of(searchPath.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, adb))
                .filter(file -> Files.isRegularFile(file) && Files.isExecutable(file))
                .findFirst();
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
        return ToolCommand.run(timeout, Stream.concat(Stream.of(executable.toString()), Stream.of(arguments)).toList());
    }
}
