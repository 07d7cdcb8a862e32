package dev.workcell.controlplane.errors;

/** Something a request names does not exist. Maps to 404 / NOT_FOUND. */
public class NotFoundException extends RuntimeException {

    private final String field;

    public NotFoundException(String message) {
        this(null, message);
    }

    /** Something named by a request field (e.g. dimensions.gpu) does not exist. */
    public NotFoundException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field that named it, or null. */
    public String field() {
        return field;
    }
}
