package dev.workcell.agent.task;

import dev.workcell.agent.log.LiveLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Builds the process machinery for tests: host targets only, task records in a fresh directory under target/. */
final class Runners {

    private Runners() {}

    static TaskRecords records() {
        try {
            return new TaskRecords(
                    Files.createTempDirectory(Files.createDirectories(Path.of("target", "task-records")), "records-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProcessRunner processes(int tailBytes, Duration killGrace, LiveLogs liveLogs) {
        return processes(tailBytes, killGrace, liveLogs, records());
    }

    static ProcessRunner processes(int tailBytes, Duration killGrace, LiveLogs liveLogs, TaskRecords records) {
        return new ProcessRunner(
                tailBytes, killGrace, liveLogs, records, TaskEnvironment.withoutAndroid(), Optional.empty());
    }
}
