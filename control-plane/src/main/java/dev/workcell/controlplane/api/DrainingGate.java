package dev.workcell.controlplane.api;

import dev.workcell.controlplane.cluster.ReplicaDrain;
import dev.workcell.controlplane.errors.ErrorBody;
import dev.workcell.controlplane.errors.ReplicaDrainingException;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.AgentServiceGrpc;
import io.grpc.Status;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Turns away new agent streams and submits while this replica drains (see {@link ReplicaDrain}),
 * before anything else runs: REST gets 503 with Retry-After, gRPC UNAVAILABLE, both saying that
 * another replica will answer, so that agents and clients retry through the Service. Calls
 * already running, and every other call, go on.
 */
@ApplicationScoped
public class DrainingGate {

    /** Before the rate limit (-1000): a refused call costs nothing. */
    static final int ROUTE_ORDER = -1100;

    static final String REST_SUBMIT = "/api/v1/actions";
    static final String GRPC_SUBMIT = "/" + ActionServiceGrpc.getSubmitMethod().getFullMethodName();
    static final String GRPC_CONNECT = "/" + AgentServiceGrpc.getConnectMethod().getFullMethodName();

    private final ReplicaDrain drain;

    public DrainingGate(ReplicaDrain drain) {
        this.drain = drain;
    }

    void install(@Observes Router router) {
        router.post(REST_SUBMIT).order(ROUTE_ORDER).handler(this::restSubmit);
        router.post(GRPC_SUBMIT).order(ROUTE_ORDER).handler(this::grpcSubmit);
        router.post(GRPC_CONNECT).order(ROUTE_ORDER).handler(this::grpcConnect);
    }

    private void restSubmit(RoutingContext context) {
        if (drain.draining()) {
            afterRequest(
                    context,
                    () -> context.response()
                            .setStatusCode(503)
                            .putHeader("Retry-After", Integer.toString(ReplicaDrainingException.RETRY_AFTER_SECONDS))
                            .putHeader("content-type", "application/json")
                            .end(new ErrorBody(drain.refusal().getMessage(), null).toJson()));
        } else {
            context.next();
        }
    }

    private void grpcSubmit(RoutingContext context) {
        if (drain.draining()) {
            afterRequest(context, () -> refuseGrpc(context));
        } else {
            context.next();
        }
    }

    /** Answered after the agent's first message (its hello): an agent's stream never ends by itself. */
    private void grpcConnect(RoutingContext context) {
        if (drain.draining()) {
            context.request()
                    .handler(hello -> refuseGrpc(context))
                    .endHandler(ended -> refuseGrpc(context))
                    .resume();
        } else {
            context.next();
        }
    }

    /**
     * Answers once the request is read: Quarkus closes a draining replica's connections as soon as
     * their requests end, and a connection closed with request bytes unread is reset, so that the
     * client would see a broken connection instead of the answer.
     */
    private static void afterRequest(RoutingContext context, Runnable answer) {
        HttpServerRequest request = context.request();
        if (request.isEnded()) {
            answer.run();
        } else {
            request.handler(ignored -> {}).endHandler(ended -> answer.run()).resume();
        }
    }

    private void refuseGrpc(RoutingContext context) {
        if (context.response().ended()) {
            return;
        }
        // A trailers-only gRPC answer: HTTP 200 with the status in the headers.
        context.response()
                .putHeader("content-type", "application/grpc")
                .putHeader("grpc-status", Integer.toString(Status.Code.UNAVAILABLE.value()))
                .putHeader(
                        "grpc-message",
                        new GrpcStatusMessages.SpecEncoding()
                                .toAsciiString(drain.refusal().getMessage()))
                .end();
    }
}
