package dev.workcell.controlplane.api;

import dev.workcell.controlplane.action.IdempotencyKeyReusedException;
import dev.workcell.controlplane.artifact.ArtifactStore;
import dev.workcell.controlplane.errors.AlreadyExistsException;
import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.InUseException;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.errors.ReplicaDrainingException;
import dev.workcell.controlplane.errors.ServerFault;
import dev.workcell.controlplane.errors.TooLargeException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Maps the control plane's errors to gRPC statuses with a message that says what is wrong. */
public final class GrpcErrors {

    private GrpcErrors() {}

    public static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            return status;
        }
        if (failure instanceof InvalidRequestException) {
            return Status.INVALID_ARGUMENT.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof NotFoundException) {
            return Status.NOT_FOUND.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof TooLargeException) {
            return Status.RESOURCE_EXHAUSTED
                    .withDescription(failure.getMessage())
                    .asRuntimeException();
        }
        if (failure instanceof ArtifactStore.ContentMismatchException) {
            return Status.DATA_LOSS.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof dev.workcell.controlplane.errors.PermissionDeniedException
                || failure instanceof io.quarkus.security.ForbiddenException) {
            return Status.PERMISSION_DENIED
                    .withDescription(failure.getMessage())
                    .asRuntimeException();
        }
        if (failure instanceof io.quarkus.security.AuthenticationFailedException
                || failure instanceof io.quarkus.security.UnauthorizedException) {
            return Status.UNAUTHENTICATED
                    .withDescription("a valid credential is required")
                    .asRuntimeException();
        }
        if (failure instanceof IdempotencyKeyReusedException || failure instanceof AlreadyExistsException) {
            return Status.ALREADY_EXISTS.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof InUseException) {
            return Status.FAILED_PRECONDITION
                    .withDescription(failure.getMessage())
                    .asRuntimeException();
        }
        if (failure instanceof ConflictException) {
            return Status.FAILED_PRECONDITION
                    .withDescription(failure.getMessage())
                    .asRuntimeException();
        }
        if (failure instanceof ReplicaDrainingException) {
            return Status.UNAVAILABLE.withDescription(failure.getMessage()).asRuntimeException();
        }
        ServerFault fault = ServerFault.of(failure);
        return (fault.unavailable() ? Status.UNAVAILABLE : Status.INTERNAL)
                .withDescription(fault.message())
                .asRuntimeException();
    }
}
