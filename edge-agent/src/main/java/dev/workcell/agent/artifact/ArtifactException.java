package dev.workcell.agent.artifact;

/**
 * Moving an artifact to or from the control plane failed: for good (refused, missing, corrupt; the
 * attempt fails as AGENT_ERROR with this message) or for now (the connection broke; try again).
 */
public class ArtifactException extends RuntimeException {

    private final boolean retryable;

    public ArtifactException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether trying again later can succeed. */
    public boolean retryable() {
        return retryable;
    }
}
