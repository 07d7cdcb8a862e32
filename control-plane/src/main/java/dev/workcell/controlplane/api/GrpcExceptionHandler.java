package dev.workcell.controlplane.api;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import io.quarkus.grpc.auth.AuthExceptionHandlerProvider;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one place where a failed gRPC call of any service gets its status, whether its Uni or Multi
 * failed ({@link #transform}) or it threw: a refusal of the security layer (and a database it
 * cannot reach) as its own provider words it, anything else by {@link GrpcErrors}. Replaces
 * Quarkus' default provider, which does the same with its generic mapping, so that no service
 * method maps its failures itself.
 */
@ApplicationScoped
public class GrpcExceptionHandler implements ExceptionHandlerProvider {

    private final AuthExceptionHandlerProvider authFailures;

    public GrpcExceptionHandler(AuthExceptionHandlerProvider authFailures) {
        this.authFailures = authFailures;
    }

    @Override
    public Throwable transform(Throwable failure) {
        return authFailures.handlesException(failure)
                ? authFailures.transformToStatusException(failure)
                : GrpcErrors.toStatus(failure);
    }

    @Override
    public <Q, R> ExceptionHandler<Q, R> createHandler(
            ServerCall.Listener<Q> listener, ServerCall<Q, R> call, Metadata metadata) {
        return new ExceptionHandler<>(listener, call, metadata) {
            @Override
            protected void handleException(Throwable failure, ServerCall<Q, R> serverCall, Metadata trailers) {
                Status status = Status.fromThrowable(transform(failure));
                try {
                    serverCall.close(status, trailers);
                } catch (IllegalStateException alreadyClosed) {
                    // The call ended meanwhile (the client went away): there is no one left to tell.
                }
            }
        };
    }
}
