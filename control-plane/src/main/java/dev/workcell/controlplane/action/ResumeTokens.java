package dev.workcell.controlplane.action;

import dev.workcell.controlplane.errors.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Resume tokens: the database snapshot a List was read after (PostgreSQL's {@code xmin:xmax:xip,…}),
 * opaque to clients and checked in full when a Watch brings one back.
 */
final class ResumeTokens {

    private static final String PREFIX = "snapshot:";

    private ResumeTokens() {}

    static String of(String snapshot) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + snapshot).getBytes(StandardCharsets.UTF_8));
    }

    /** The snapshot a token carries; INVALID_ARGUMENT (naming resume_token) for anything a List did not return. */
    static String snapshot(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX) && isSnapshot(decoded.substring(PREFIX.length()))) {
                return decoded.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below (NumberFormatException included)
        }
        throw new InvalidRequestException("resume_token", "not a resume token from a List");
    }

    /** What PostgreSQL accepts as a pg_snapshot: 0 < xmin <= xmax, in-progress ids ascending in [xmin, xmax). */
    private static boolean isSnapshot(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            return false;
        }
        long xmin = Long.parseLong(parts[0]);
        long xmax = Long.parseLong(parts[1]);
        if (xmin < 1 || xmin > xmax) {
            return false;
        }
        long last = xmin - 1;
        for (String id : parts[2].isEmpty() ? new String[0] : parts[2].split(",", -1)) {
            long xip = Long.parseLong(id);
            if (xip <= last || xip >= xmax) {
                return false;
            }
            last = xip;
        }
        return true;
    }
}
