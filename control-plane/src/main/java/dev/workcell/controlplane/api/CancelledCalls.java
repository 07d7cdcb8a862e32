package dev.workcell.controlplane.api;

import dev.workcell.proto.v1.ActionServiceGrpc;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;

/**
 * Ends a gRPC call of the action service whose HTTP/2 stream the client reset or whose connection
 * closed, and delivers nothing more to it. With gRPC on Quarkus' HTTP server, a reset that arrives
 * after the request's last frame but before gRPC has read it is reported to no one, and the buffered
 * request is still delivered: a Watch cancelled right after it was sent would start after its cancel
 * and stay subscribed for good. Here the end of the HTTP exchange itself cancels the call.
 *
 * <p>The exchange is noted by a route that runs before gRPC's, in the Vert.x context of the request:
 * Quarkus starts a call's interceptors only at the call's first event, often after the request
 * handler returned, when its own note of the exchange is gone.
 */
@ApplicationScoped
public class CancelledCalls implements ServerInterceptor {

    private static final String ACTION_SERVICE_PATHS = "/" + ActionServiceGrpc.SERVICE_NAME + "/*";
    private static final int ROUTE_ORDER = -1000;
    private static final String ENDED_UNANSWERED = CancelledCalls.class.getName() + ".endedUnanswered";

    void install(@Observes Router router) {
        router.route(ACTION_SERVICE_PATHS).order(ROUTE_ORDER).handler(this::note);
    }

    private void note(RoutingContext exchange) {
        Context context = Vertx.currentContext();
        if (context != null) {
            CompletableFuture<Void> endedUnanswered = new CompletableFuture<>();
            context.putLocal(ENDED_UNANSWERED, endedUnanswered);
            exchange.addEndHandler(ended -> {
                if (!exchange.response().ended()) {
                    endedUnanswered.complete(null);
                }
            });
        }
        exchange.next();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Guarded<Q> listener = new Guarded<>(next.startCall(call, headers));
        Context context = Vertx.currentContext();
        CompletableFuture<Void> endedUnanswered = context == null ? null : context.getLocal(ENDED_UNANSWERED);
        if (endedUnanswered != null) {
            endedUnanswered.thenRun(listener::onCancel);
        }
        return listener;
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
