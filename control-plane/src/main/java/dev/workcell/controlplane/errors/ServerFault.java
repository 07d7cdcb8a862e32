package dev.workcell.controlplane.errors;

import dev.workcell.controlplane.db.PgErrors;
import io.quarkus.logging.Log;
import java.util.UUID;

/**
 * A failure that is not the client's: 503 when the database is unreachable (the client may retry),
 * else 500. Each has an error id, logged with its cause, so that an answer can be found in the log.
 */
public record ServerFault(boolean unavailable, String id, String message) {

    public static ServerFault of(Throwable failure) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        if (PgErrors.isUnavailable(failure)) {
            Log.warnf("error id %s: the database is unreachable: %s", id, failure);
            return new ServerFault(
                    true,
                    id,
                    "the database is unreachable; retry after " + PgErrors.RETRY_AFTER_SECONDS + " s (error id " + id
                            + ")");
        }
        Log.errorf(failure, "error id %s: internal error", id);
        return new ServerFault(false, id, "internal error (error id " + id + " in the control plane's log)");
    }

    public int httpStatus() {
        return unavailable ? 503 : 500;
    }
}
