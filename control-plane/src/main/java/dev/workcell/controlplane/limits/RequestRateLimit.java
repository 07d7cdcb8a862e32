package dev.workcell.controlplane.limits;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.errors.ErrorBody;
import dev.workcell.controlplane.metrics.WorkcellMetrics;
import dev.workcell.controlplane.security.Secrets;
import io.quarkus.logging.Log;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Limits the calls of each caller, REST and gRPC alike, before anything else runs (authentication
 * included): each credential has its bucket, and each address one ten times larger, so that a
 * flood of made-up credentials from one place does not reach the database either. Over a limit,
 * REST gets 429 with Retry-After and gRPC RESOURCE_EXHAUSTED. An agent's stream is one call,
 * however long it lasts.
 */
@ApplicationScoped
public class RequestRateLimit {

    static final int ROUTE_ORDER = -1000;

    static final int ADDRESS_FACTOR = 10;

    private final TokenBuckets buckets;
    private final TokenBuckets addresses;
    private final WorkcellMetrics metrics;

    public RequestRateLimit(WorkcellConfig config, WorkcellMetrics metrics) {
        this.metrics = metrics;
        this.buckets = new TokenBuckets(
                config.limits().requestsPerSecond(), config.limits().requestBurst());
        this.addresses = new TokenBuckets(
                (double) config.limits().requestsPerSecond() * ADDRESS_FACTOR,
                config.limits().requestBurst() * ADDRESS_FACTOR);
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        if (addresses.tryTake(context.request().remoteAddress().hostAddress()) && buckets.tryTake(callerOf(context))) {
            context.next();
            return;
        }
        Log.debugf(
                "rate limit: refused %s %s from %s",
                context.request().method(),
                context.request().path(),
                context.request().remoteAddress());
        String contentType = context.request().getHeader("content-type");
        boolean grpc = contentType != null && contentType.startsWith("application/grpc");
        metrics.rateLimited(grpc ? "grpc" : "rest");
        if (grpc) {
            // A trailers-only gRPC answer: HTTP 200 with the status in the headers.
            context.response()
                    .putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", "8")
                    .putHeader("grpc-message", "rate limit exceeded; retry later")
                    .end();
        } else {
            context.response()
                    .setStatusCode(429)
                    .putHeader("Retry-After", Long.toString(buckets.secondsUntilNext()))
                    .putHeader("content-type", "application/json")
                    .end(new ErrorBody(
                                    "rate limit exceeded for this credential; retry after the Retry-After seconds",
                                    null)
                            .toJson());
        }
    }

    /** A digest of the credential (never kept in clear), else the remote address. */
    private static String callerOf(RoutingContext context) {
        String authorization = context.request().getHeader("authorization");
        if (authorization == null) {
            return "address " + context.request().remoteAddress().hostAddress();
        }
        return Secrets.hash(authorization);
    }
}
