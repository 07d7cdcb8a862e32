package dev.workcell.operator.pool.api;

/** A control plane did not answer, or answered that it cannot serve now (5xx): nothing was changed by the call. */
public class ControlPlaneUnreachable extends Exception {

    public ControlPlaneUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
