package dev.workcell.controlplane.action;

/**
 * Text a caller sends that the ledger stores or searches: each field has a length limit, and
 * PostgreSQL text cannot hold NUL, so a request with one is refused rather than failing in the
 * database.
 */
public final class TextFields {

    private TextFields() {
    }

    public static String check(String field, String value, int maxLength) {
        if (value.length() > maxLength) {
            throw new InvalidRequestException(field, "longer than " + maxLength + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidRequestException(field, "contains a NUL character");
        }
        return value;
    }

    /** Text an agent reports (an error message): kept, with any NUL replaced. */
    public static String storable(String value) {
        return value.replace('\0', '\uFFFD');
    }
}
