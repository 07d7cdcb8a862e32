package dev.workcell.operator.pool.api;

/** A control plane refused a call (4xx: a bad token, a missing role, bad input), with its error message. */
public class ControlPlaneRefused extends Exception {

    private final int status;

    public ControlPlaneRefused(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
