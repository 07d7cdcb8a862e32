package dev.workcell.agent.artifact;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/** Tells a control plane that said no (trying again cannot help) from a call that broke on the way. */
final class GrpcFailures {

    /**
     * Answers that stay the same however often the agent asks. DATA_LOSS is the control plane's answer
     * to content that does not have its SHA-256: the agent's copy is corrupt, sending it again cannot help.
     */
    private static final Set<Status.Code> REFUSALS = Set.of(
            Status.Code.INVALID_ARGUMENT,
            Status.Code.DATA_LOSS,
            Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.NOT_FOUND,
            Status.Code.PERMISSION_DENIED,
            Status.Code.UNAUTHENTICATED,
            Status.Code.UNIMPLEMENTED);

    private GrpcFailures() {}

    /** The failure as an artifact exception whose message starts with what was being done. */
    static ArtifactException of(String doing, Throwable failure) {
        Status status = Status.fromThrowable(failure);
        boolean refused = failure instanceof StatusRuntimeException && REFUSALS.contains(status.getCode());
        String description = status.getDescription() != null
                ? ": " + status.getDescription()
                : status.getCause() != null ? ": " + status.getCause() : "";
        return new ArtifactException(
                doing + (refused ? " was refused by the control plane: " : " broke: ") + status.getCode() + description,
                !refused,
                failure);
    }
}
