package dev.workcell.agent.outbox;

import dev.workcell.proto.v1.TaskUpdate;
import java.nio.file.Path;

/** The final update of one attempt as kept in the outbox, and the directory that holds it with its blobs still to upload. */
public record SpooledResult(Path dir, TaskUpdate update) {

    static final String UPDATE_FILE = "update.pb";
    static final String BLOBS_DIR = "blobs";

    public String actionId() {
        return update.getActionId();
    }

    public int attempt() {
        return update.getAttempt();
    }

    /** Where the blob with this SHA-256 is kept while it waits to be uploaded. */
    Path blobPath(String sha256) {
        return dir.resolve(BLOBS_DIR).resolve(sha256);
    }
}
