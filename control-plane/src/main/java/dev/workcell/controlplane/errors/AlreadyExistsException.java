package dev.workcell.controlplane.errors;

/** A create that names something (a subject, a campaign) another one already has. Maps to 409 / ALREADY_EXISTS. */
public class AlreadyExistsException extends RuntimeException {

    private final String field;

    public AlreadyExistsException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field whose value is taken. */
    public String field() {
        return field;
    }
}
