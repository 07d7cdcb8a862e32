package dev.workcell.controlplane.errors;

/** The caller is known but may not do this (403 / PERMISSION_DENIED); the message says why, never with a secret. */
public class PermissionDeniedException extends RuntimeException {

    public PermissionDeniedException(String message) {
        super(message);
    }
}
