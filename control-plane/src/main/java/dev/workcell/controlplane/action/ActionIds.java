package dev.workcell.controlplane.action;

import dev.workcell.controlplane.errors.InvalidRequestException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Action ids: 40 lowercase hex characters (160 random bits), the original's id format. */
public final class ActionIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{40}");

    private ActionIds() {}

    public static String next() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether the text has the form of an action id. */
    public static boolean isValid(String id) {
        return FORMAT.matcher(id).matches();
    }

    /** Returns the id, or throws naming the field when it is empty or malformed. */
    public static String requireValid(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidRequestException(field, "required (an action id: 40 lowercase hex characters)");
        }
        if (!isValid(id)) {
            throw new InvalidRequestException(
                    field, "'" + abbreviate(id) + "' is not an action id (40 lowercase hex characters)");
        }
        return id;
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
