package dev.workcell.controlplane.web;

/** A dashboard request without a live session: the person is sent to sign in. */
public class NotSignedInException extends RuntimeException {

    public NotSignedInException() {
        super("sign in first", null, false, false);
    }
}
