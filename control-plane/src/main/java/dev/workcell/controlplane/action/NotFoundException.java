package dev.workcell.controlplane.action;

/** Something a request names does not exist. Maps to 404 / NOT_FOUND. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
