package dev.workcell.controlplane.errors;

/** A request that cannot be accepted as sent; names the offending field. Maps to 400 / INVALID_ARGUMENT. */
public class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
