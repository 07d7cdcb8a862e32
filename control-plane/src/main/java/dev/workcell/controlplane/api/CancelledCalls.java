package dev.workcell.controlplane.api;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ends a gRPC call whose HTTP/2 stream the client reset or whose connection closed, and delivers
 * nothing more to it. With gRPC on Quarkus' HTTP server, a reset that arrives after the request's
 * last frame but before gRPC has read it is reported to no one, and the buffered request is still
 * delivered: a Watch cancelled right after it was sent would start after its cancel and stay
 * subscribed for good. Here the end of the HTTP exchange itself cancels the call.
 */
@ApplicationScoped
public class CancelledCalls implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Guarded<Q> listener = new Guarded<>(next.startCall(call, headers));
        RoutingContext exchange = exchange();
        if (exchange != null && exchange.response().closed()) {
            listener.onCancel();
        } else if (exchange != null) {
            exchange.addEndHandler(ended -> {
                if (!exchange.response().ended()) {
                    listener.onCancel();
                }
            });
        }
        return listener;
    }

    /** The HTTP exchange that carries the call, which Quarkus keeps in the Vert.x context while it starts the call. */
    private static RoutingContext exchange() {
        Context context = Vertx.currentContext();
        return context == null ? null : context.getLocal(RoutingContext.class.getName());
    }

    /** A call's listener that forwards nothing after the first cancel, nor a second cancel. */
    private static final class Guarded<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

        private volatile boolean cancelled;

        Guarded(ServerCall.Listener<Q> listener) {
            super(listener);
        }

        @Override
        public void onMessage(Q message) {
            if (!cancelled) {
                super.onMessage(message);
            }
        }

        @Override
        public void onHalfClose() {
            if (!cancelled) {
                super.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!cancelled) {
                super.onReady();
            }
        }

        @Override
        public void onCancel() {
            if (!cancelled) {
                cancelled = true;
                super.onCancel();
            }
        }
    }
}
