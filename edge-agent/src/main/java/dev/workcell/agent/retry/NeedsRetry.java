package dev.workcell.agent.retry;

import java.util.Optional;

/** Decides whether a task's output asks for a retry: "text file busy", or one of the caller's strings. */
public final class NeedsRetry {

    /** Always a reason to retry: the executable was still being written (ETXTBSY). */
    public static final String TEXT_FILE_BUSY = "text file busy";

    private NeedsRetry() {}

    /**
     * Returns a retry error carrying the whole reason when the reason contains "text file busy" or
     * any of the retry strings (plain, case-sensitive substring; an empty string matches anything).
     */
    public static Optional<TaskRetryError> check(String reason, String... retryStrings) {
        if (reason.contains(TEXT_FILE_BUSY)) {
            return Optional.of(new TaskRetryError(reason));
        }
        for (String retryString : retryStrings) {
            if (reason.contains(retryString)) {
                return Optional.of(new TaskRetryError(reason));
            }
        }
        return Optional.empty();
    }
}
