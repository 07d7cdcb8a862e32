package dev.workcell.controlplane.errors;

/** A request that contradicts the action's state, e.g. cancelling a finished action. Maps to 409 / FAILED_PRECONDITION. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
