package dev.workcell.agent.task;

import dev.workcell.agent.outbox.Durably;
import dev.workcell.agent.process.ProcessStat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The attempts whose processes may run, one {@link TaskRecord} file each, written durably (aside,
 * fsync, rename): before the attempt's work dir is made, and again once its command runs, before
 * RUNNING is reported; removed when the attempt's processes are gone. A file found at start-up
 * names what a killed agent left behind.
 */
final class TaskRecords {

    private static final Logger LOG = Logger.getLogger(TaskRecords.class);
    private static final String SUFFIX = ".task";

    private final Path dir;
    private final Map<AttemptKey, TaskRecord> current = new ConcurrentHashMap<>();

    TaskRecords(Path dir) {
        this.dir = dir;
    }

    /** Records the attempt with a new mark, unless it is recorded already; returns its record. */
    TaskRecord begin(AttemptKey key, Path workDir) throws IOException {
        TaskRecord recorded = current.get(key);
        if (recorded != null) {
            return recorded;
        }
        TaskRecord record = new TaskRecord(key, workDir, TaskMark.of(key), Optional.empty(), Optional.empty());
        write(record);
        return record;
    }

    /** Adds the attempt's session leader and cgroup to its record. */
    void started(AttemptKey key, Optional<ProcessStat> leader, Optional<Path> cgroup) throws IOException {
        write(current.get(key).started(leader, cgroup));
    }

    /** Forgets the attempt: its processes are gone. */
    void end(AttemptKey key) {
        current.remove(key);
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            LOG.warnf("could not remove the record of attempt %s: %s", key, e.getMessage());
        }
    }

    /** The records written by an earlier run of the agent; an unreadable one is removed. */
    List<TaskRecord> left() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<TaskRecord> left = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().endsWith(SUFFIX)) {
                    Files.deleteIfExists(file); // half-written
                    continue;
                }
                try {
                    left.add(TaskRecord.parse(Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException | RuntimeException unreadable) {
                    LOG.warnf("removing the unreadable task record %s: %s", file, unreadable.getMessage());
                    Files.delete(file);
                }
            }
        }
        return left;
    }

    /** Removes the record of an earlier run once its processes are gone. */
    void forget(TaskRecord record) throws IOException {
        Files.deleteIfExists(file(record.key()));
    }

    private void write(TaskRecord record) throws IOException {
        Files.createDirectories(dir);
        Durably.write(file(record.key()), record.text().getBytes(StandardCharsets.UTF_8));
        current.put(record.key(), record);
    }

    private Path file(AttemptKey key) {
        return dir.resolve(key.actionId() + "-" + key.attempt() + SUFFIX);
    }
}
