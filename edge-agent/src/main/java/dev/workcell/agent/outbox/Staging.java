package dev.workcell.agent.outbox;

import dev.workcell.proto.v1.TaskUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An outbox entry being written: output files are added to it as blobs (hard-linked, or copied
 * across file systems), then the final update commits it atomically; an entry never committed is
 * removed when closed.
 */
public final class Staging implements AutoCloseable {

    private final Outbox outbox;
    private final Path temporary;
    private boolean committed;

    Staging(Outbox outbox, Path temporary) throws IOException {
        this.outbox = outbox;
        this.temporary = temporary;
        Files.createDirectories(temporary.resolve(SpooledResult.BLOBS_DIR));
    }

    /**
     * Keeps the file as the blob with this SHA-256 (once: a second file with the same content adds
     * nothing); the content of a symbolic link's target is copied.
     */
    public void add(Path file, String sha256) throws IOException {
        Path blob = temporary.resolve(SpooledResult.BLOBS_DIR).resolve(sha256);
        if (Files.exists(blob)) {
            return;
        }
        if (Files.isSymbolicLink(file)) {
            Files.copy(file, blob);
        } else {
            link(file, blob);
        }
        Durably.sync(blob);
    }

    /** Makes the entry part of the outbox, durably, with this final update. */
    public SpooledResult commit(TaskUpdate update) throws IOException {
        Durably.write(temporary.resolve(SpooledResult.UPDATE_FILE), update.toByteArray());
        Durably.sync(temporary.resolve(SpooledResult.BLOBS_DIR));
        Durably.sync(temporary);
        SpooledResult result = outbox.commit(temporary, update);
        committed = true;
        return result;
    }

    private static void link(Path file, Path blob) throws IOException {
        try {
            Files.createLink(blob, file);
        } catch (IOException | UnsupportedOperationException notLinkable) {
            Files.copy(file, blob);
        }
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            Durably.deleteTree(temporary);
        }
    }
}
