package dev.workcell.controlplane.errors;

/** A delete of something another thing still uses (a subject one of its campaigns names). Maps to 409 / FAILED_PRECONDITION. */
public class InUseException extends RuntimeException {

    private final String field;

    public InUseException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field (or path parameter) naming the thing in use. */
    public String field() {
        return field;
    }
}
