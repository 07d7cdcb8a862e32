package dev.workcell.controlplane.api;

import dev.workcell.controlplane.db.PgErrors;
import dev.workcell.controlplane.errors.ErrorBody;
import dev.workcell.controlplane.errors.ServerFault;
import dev.workcell.controlplane.security.BearerHttpMechanism;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The answers the HTTP layer gives before or outside the REST endpoints, in the same JSON shape as
 * theirs: a body over the limit (413), a path nothing serves (404), and failures no endpoint mapped
 * (an unknown bearer token is 401; an unreachable database during authentication is 503 with
 * Retry-After; anything else 500).
 */
@ApplicationScoped
public class HttpErrors {

    /** Before Quarkus' own body-size check (order -2), which answers without a body. */
    static final int BODY_LIMIT_ORDER = -3;

    private final long maxBodyBytes;

    public HttpErrors(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(BODY_LIMIT_ORDER).handler(this::bodyLimit);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        router.route().last().handler(HttpErrors::unknownPath);
    }

    private void bodyLimit(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (length != null
                && length.chars().allMatch(Character::isDigit)
                && !length.isEmpty()
                && Long.parseLong(length) > maxBodyBytes) {
            // As Quarkus' own check does: the body is not read, so the connection cannot be reused.
            context.response()
                    .putHeader("Connection", "close")
                    .endHandler(ended -> context.request().connection().close());
            send(context, 413, "body of " + length + " bytes is over the limit of " + maxBodyBytes + " bytes");
            return;
        }
        context.next();
    }

    private void failure(RoutingContext context) {
        if (context.response().headWritten() || isGrpc(context)) {
            context.next();
            return;
        }
        Throwable failure = context.failure();
        if (causedBy(failure, AuthenticationFailedException.class)) {
            // a bearer token presented but unknown (with the dashboard's session mechanism beside the bearer one,
            // Quarkus hands this failure to the router rather than to the challenge)
            context.response().putHeader("WWW-Authenticate", BearerHttpMechanism.CHALLENGE);
            send(context, 401, BearerHttpMechanism.UNKNOWN_CREDENTIAL);
            return;
        }
        int status = failure instanceof HttpException http ? http.getStatusCode() : context.statusCode();
        if (failure == null || failure instanceof HttpException) {
            send(
                    context,
                    status == -1 ? 500 : status,
                    status == 413
                            ? "body over the limit of " + maxBodyBytes + " bytes"
                            : HttpResponseStatus.valueOf(status == -1 ? 500 : status)
                                    .reasonPhrase());
            return;
        }
        ServerFault fault = ServerFault.of(failure);
        if (fault.unavailable()) {
            context.response().putHeader("Retry-After", Integer.toString(PgErrors.RETRY_AFTER_SECONDS));
        }
        send(context, fault.httpStatus(), fault.message());
    }

    /** Whether the failure or one of its causes is of this type (after a sign-in, Quarkus wraps the bearer refusal). */
    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static void unknownPath(RoutingContext context) {
        if (isGrpc(context)) {
            context.response()
                    .putHeader("Content-Type", "application/grpc")
                    .putHeader("grpc-status", "12")
                    .putHeader(
                            "grpc-message",
                            "unknown method " + context.request().path().replaceAll("[^ -~]|%", "?"))
                    .end();
            return;
        }
        send(
                context,
                404,
                "no such path: " + context.request().method() + " "
                        + context.request().path());
    }

    private static void send(RoutingContext context, int status, String error) {
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new ErrorBody(error, null).toJson());
    }

    private static boolean isGrpc(RoutingContext context) {
        String contentType = context.request().getHeader("Content-Type");
        return contentType != null && contentType.startsWith("application/grpc");
    }
}
