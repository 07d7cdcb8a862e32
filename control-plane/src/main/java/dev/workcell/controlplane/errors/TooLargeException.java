package dev.workcell.controlplane.errors;

/** Something is over a configured size limit. Maps to 413 / RESOURCE_EXHAUSTED. */
public class TooLargeException extends RuntimeException {

    public TooLargeException(String message) {
        super(message);
    }
}
