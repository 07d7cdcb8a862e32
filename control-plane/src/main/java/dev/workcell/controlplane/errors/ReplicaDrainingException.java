package dev.workcell.controlplane.errors;

/**
 * This control-plane replica is shutting down: the call is refused or its stream ended so that
 * the caller retries on another replica (503 with Retry-After, gRPC UNAVAILABLE).
 */
public class ReplicaDrainingException extends RuntimeException {

    /** Seconds a REST client is asked to wait (Retry-After): the next try goes to another replica. */
    public static final int RETRY_AFTER_SECONDS = 1;

    public ReplicaDrainingException(String replicaId) {
        super("control-plane replica " + replicaId
                + " is shutting down (draining): retry, another replica will answer");
    }
}
