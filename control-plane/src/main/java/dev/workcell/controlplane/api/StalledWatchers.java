package dev.workcell.controlplane.api;

import dev.workcell.controlplane.action.ActionChanges;
import dev.workcell.proto.v1.ActionServiceGrpc;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ends a gRPC Watch whose client stopped reading. Quarkus requests every item of a streaming
 * method's Multi and writes it at once, whatever the client's HTTP/2 window, so the per-watcher
 * buffer of {@link ActionChanges} never fills and the server would queue every change for such a
 * client. Here the call is closed with RESOURCE_EXHAUSTED once it fell behind by as many changes
 * as that buffer holds, and later changes are dropped.
 */
@ApplicationScoped
public class StalledWatchers implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        boolean watch = call.getMethodDescriptor().getFullMethodName().equals(ActionServiceGrpc.getWatchMethod().getFullMethodName());
        return next.startCall(watch ? new Bounded<>(call) : call, headers);
    }

    private static final class Bounded<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        private int sentWhileBlocked;
        private boolean closed;

        Bounded(ServerCall<Q, R> call) {
            super(call);
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (closed) {
                return;
            }
            sentWhileBlocked = isReady() ? 0 : sentWhileBlocked + 1;
            if (sentWhileBlocked > ActionChanges.WATCHER_BUFFER) {
                close(Status.RESOURCE_EXHAUSTED.withDescription("the watcher fell " + ActionChanges.WATCHER_BUFFER
                        + " changes behind and was disconnected; watch again and read the current state with List"), new Metadata());
                return;
            }
            super.sendMessage(message);
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                super.close(status, trailers);
            }
        }
    }
}
