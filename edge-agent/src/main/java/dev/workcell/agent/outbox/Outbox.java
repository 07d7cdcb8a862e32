package dev.workcell.agent.outbox;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.workcell.proto.v1.TaskUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The agent's spool of final updates not yet acknowledged, with the output files still to upload,
 * in the order the attempts finished; it survives the agent being killed. One directory per entry,
 * {@code <sequence>/update.pb} and {@code <sequence>/blobs/<sha256>}, written aside and renamed into
 * place, so an entry is either whole or absent; only one agent at a time may use the directory.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Outbox.class);
    private static final Pattern ENTRY = Pattern.compile("\\d{12}");
    private static final String LOCK_FILE = "lock";
    private static final String WRITING = ".tmp";
    private static final String REMOVING = ".gone";
    private static final String UNREADABLE = ".unreadable";

    /** Which attempt an entry belongs to. */
    private record Key(String actionId, int attempt) {

        @Override
        public String toString() {
            return actionId + "#" + attempt;
        }
    }

    private final Path dir;
    private final FileChannel lockChannel;
    private final Map<Key, SpooledResult> results = new LinkedHashMap<>();
    private long nextSequence;

    private Outbox(Path dir, FileChannel lockChannel) {
        this.dir = dir;
        this.lockChannel = lockChannel;
    }

    /**
     * Opens the spool in the directory, creating it if needed: takes its lock, clears what a killed
     * agent left half-written or half-removed, and loads the entries in order.
     *
     * @throws IllegalStateException when another agent uses the directory
     */
    public static Outbox open(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel =
                FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException(
                    "the outbox " + dir + " is in use by another agent; give each agent on a host"
                            + " its own workcell.agent.host-name or workcell.agent.outbox-dir");
        }
        Outbox outbox = new Outbox(dir, lockChannel);
        outbox.load();
        return outbox;
    }

    /** The directory of the spool. */
    public Path dir() {
        return dir;
    }

    /** Every entry, oldest first. */
    public synchronized List<SpooledResult> results() {
        return List.copyOf(results.values());
    }

    /** The entry of an attempt, if it is still kept. */
    public synchronized Optional<SpooledResult> result(String actionId, int attempt) {
        return Optional.ofNullable(results.get(new Key(actionId, attempt)));
    }

    /** Starts a new entry; commit it with its final update (it then comes last in order), or close it to drop it. */
    public Staging stage() throws IOException {
        return new Staging(this, dir.resolve("staging-" + UUID.randomUUID() + WRITING));
    }

    /** Where the blob with this SHA-256 of the entry is, while it still waits to be uploaded. */
    public Optional<Path> blob(SpooledResult result, String sha256) {
        Path blob = result.blobPath(sha256);
        return Files.isRegularFile(blob) ? Optional.of(blob) : Optional.empty();
    }

    /** Forgets a blob the control plane now holds; nothing to do when the entry went meanwhile. */
    public void uploaded(SpooledResult result, String sha256) {
        try {
            if (Files.deleteIfExists(result.blobPath(sha256))) {
                Durably.sync(result.blobPath(sha256).getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot forget the uploaded blob " + sha256 + " in " + result.dir(), e);
        }
    }

    /**
     * Replaces an entry's final update, durably, e.g. with a failure when the control plane refused
     * one of its files; the remaining blobs are dropped.
     *
     * @return the entry as it now is, or empty when it was already removed
     */
    public synchronized Optional<SpooledResult> replace(TaskUpdate update) {
        Key key = new Key(update.getActionId(), update.getAttempt());
        SpooledResult current = results.get(key);
        if (current == null) {
            return Optional.empty();
        }
        try {
            Durably.write(current.dir().resolve(SpooledResult.UPDATE_FILE), update.toByteArray());
            Durably.deleteTree(current.dir().resolve(SpooledResult.BLOBS_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the outbox entry " + current.dir(), e);
        }
        SpooledResult replaced = new SpooledResult(current.dir(), update);
        results.put(key, replaced);
        return Optional.of(replaced);
    }

    /**
     * Removes an attempt's entry and its blobs (renamed away first, so a crash never leaves half an entry).
     *
     * @return whether there was one
     */
    public synchronized boolean remove(String actionId, int attempt) {
        SpooledResult removed = results.remove(new Key(actionId, attempt));
        if (removed == null) {
            return false;
        }
        try {
            Path gone = removed.dir().resolveSibling(removed.dir().getFileName() + REMOVING);
            Durably.rename(removed.dir(), gone);
            Durably.deleteTree(gone);
        } catch (IOException e) {
            LOG.warnf("could not remove the delivered outbox entry %s: %s", removed.dir(), e.getMessage());
        }
        return true;
    }

    /** Releases the directory for another agent. */
    @Override
    public void close() throws IOException {
        lockChannel.close();
    }

    /** Moves a written entry into place, last in order. */
    synchronized SpooledResult commit(Path written, TaskUpdate update) throws IOException {
        Path entry = dir.resolve(String.format("%012d", nextSequence++));
        Durably.rename(written, entry);
        return add(new SpooledResult(entry, update));
    }

    private SpooledResult add(SpooledResult result) {
        results.put(new Key(result.actionId(), result.attempt()), result);
        return result;
    }

    private void load() throws IOException {
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                String name = child.getFileName().toString();
                if (name.endsWith(WRITING) || name.endsWith(REMOVING)) {
                    Durably.deleteTree(child);
                } else if (ENTRY.matcher(name).matches()) {
                    entries.add(child);
                }
            }
        }
        for (Path entry : entries) {
            nextSequence =
                    Math.max(nextSequence, Long.parseLong(entry.getFileName().toString()) + 1);
            read(entry).ifPresent(this::add);
        }
        if (!results.isEmpty()) {
            LOG.infof("outbox %s holds %d undelivered results: %s", dir, results.size(), results.keySet());
        }
    }

    private static Optional<SpooledResult> read(Path entry) throws IOException {
        try {
            return Optional.of(new SpooledResult(
                    entry, TaskUpdate.parseFrom(Files.readAllBytes(entry.resolve(SpooledResult.UPDATE_FILE)))));
        } catch (InvalidProtocolBufferException | NoSuchFileException unreadable) {
            Path aside = entry.resolveSibling(entry.getFileName() + UNREADABLE);
            LOG.errorf("outbox entry %s cannot be read (%s); moved it to %s", entry, unreadable.getMessage(), aside);
            Files.move(entry, aside);
            return Optional.empty();
        }
    }
}
