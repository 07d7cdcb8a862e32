package dev.workcell.controlplane.security;

import dev.workcell.controlplane.db.PgErrors;
import dev.workcell.controlplane.errors.ServerFault;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;
import io.quarkus.grpc.auth.AuthExceptionHandler;
import io.quarkus.grpc.auth.AuthExceptionHandlerProvider;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * A gRPC call without a credential is UNAUTHENTICATED, as a REST one is 401 (Quarkus would answer
 * PERMISSION_DENIED, which tells a client that its credential lacks a role), and one whose
 * credential cannot be checked because the database is unreachable is UNAVAILABLE. An alternative, so
 * that it replaces Quarkus' provider rather than making the choice ambiguous.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class GrpcAuthFailures implements AuthExceptionHandlerProvider {

    static final Status MISSING = Status.UNAUTHENTICATED.withDescription(
            "a credential is required: metadata \"authorization: Bearer <token>\"");

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1;
    }

    @Override
    public <Q, R> AuthExceptionHandler<Q, R> createHandler(
            ServerCall.Listener<Q> listener, ServerCall<Q, R> call, Metadata metadata) {
        return new AuthExceptionHandler<>(listener, call, metadata) {
            @Override
            protected void handleException(Throwable failure, ServerCall<Q, R> serverCall, Metadata trailers) {
                if (handlesException(failure)) {
                    serverCall.close(transformToStatusException(failure).getStatus(), trailers);
                } else {
                    super.handleException(failure, serverCall, trailers);
                }
            }
        };
    }

    @Override
    public boolean handlesException(Throwable failure) {
        return failure instanceof io.quarkus.security.AuthenticationException
                || failure instanceof SecurityException
                || PgErrors.isUnavailable(failure);
    }

    @Override
    public StatusException transformToStatusException(Throwable failure) {
        if (PgErrors.isUnavailable(failure)) {
            return Status.UNAVAILABLE
                    .withDescription(ServerFault.of(failure).message())
                    .asException();
        }
        if (failure instanceof UnauthorizedException) {
            return MISSING.asException();
        }
        if (failure instanceof io.quarkus.security.AuthenticationException) {
            return Status.UNAUTHENTICATED
                    .withDescription(BearerHttpMechanism.UNKNOWN_CREDENTIAL)
                    .asException();
        }
        return Status.PERMISSION_DENIED
                .withDescription("this credential's role may not call this method")
                .asException();
    }
}
