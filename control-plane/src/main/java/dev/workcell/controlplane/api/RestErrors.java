package dev.workcell.controlplane.api;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.workcell.controlplane.action.IdempotencyKeyReusedException;
import dev.workcell.controlplane.db.PgErrors;
import dev.workcell.controlplane.errors.AlreadyExistsException;
import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.ErrorBody;
import dev.workcell.controlplane.errors.InUseException;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.errors.PermissionDeniedException;
import dev.workcell.controlplane.errors.ReplicaDrainingException;
import dev.workcell.controlplane.errors.ServerFault;
import dev.workcell.controlplane.errors.TooLargeException;
import dev.workcell.controlplane.security.BearerHttpMechanism;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps the control plane's errors to HTTP statuses with a JSON body that says what is wrong. */
public class RestErrors {

    @ServerExceptionMapper
    public RestResponse<ErrorBody> invalid(InvalidRequestException e) {
        return json(Response.Status.BAD_REQUEST, new ErrorBody(e.getMessage(), e.field()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> notFound(NotFoundException e) {
        return json(Response.Status.NOT_FOUND, new ErrorBody(e.getMessage(), e.field()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> tooLarge(TooLargeException e) {
        return json(Response.Status.REQUEST_ENTITY_TOO_LARGE, new ErrorBody(e.getMessage(), null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> conflict(ConflictException e) {
        return json(
                Response.Status.CONFLICT,
                new ErrorBody(
                        e.getMessage(),
                        e instanceof IdempotencyKeyReusedException ? IdempotencyKeyReusedException.FIELD : null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> inUse(InUseException e) {
        return json(Response.Status.CONFLICT, new ErrorBody(e.getMessage(), e.field()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> alreadyExists(AlreadyExistsException e) {
        return json(Response.Status.CONFLICT, new ErrorBody(e.getMessage(), e.field()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> denied(PermissionDeniedException e) {
        return json(Response.Status.FORBIDDEN, new ErrorBody(e.getMessage(), null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> forbidden(ForbiddenException e) {
        return json(
                Response.Status.FORBIDDEN, new ErrorBody("this credential's role may not call this endpoint", null));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public RestResponse<ErrorBody> unauthorized(RuntimeException e) {
        return RestResponse.ResponseBuilder.create(
                        Response.Status.UNAUTHORIZED, new ErrorBody(BearerHttpMechanism.NO_CREDENTIAL, null))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("WWW-Authenticate", BearerHttpMechanism.CHALLENGE)
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> draining(ReplicaDrainingException e) {
        return RestResponse.ResponseBuilder.create(
                        Response.Status.SERVICE_UNAVAILABLE, new ErrorBody(e.getMessage(), null))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", ReplicaDrainingException.RETRY_AFTER_SECONDS)
                .build();
    }

    /** A JSON body with a value of the wrong type for its field (a word where a number goes): 400 naming the field. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> mistyped(MismatchedInputException e) {
        String field = e.getPath().stream()
                .map(step -> step.getFieldName() != null ? step.getFieldName() : "[" + step.getIndex() + "]")
                .collect(java.util.stream.Collectors.joining("."))
                .replace(".[", "[");
        String expected = e.getTargetType() == null
                ? "another type"
                : e.getTargetType().getSimpleName().toLowerCase();
        return json(
                Response.Status.BAD_REQUEST,
                new ErrorBody(
                        (field.isEmpty() ? "body" : field) + ": not a valid " + expected,
                        field.isEmpty() ? null : field));
    }

    /** JAX-RS' own refusals (415, 405, 406, ...) keep their status and get the JSON body. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> http(WebApplicationException e, HttpServerRequest request) {
        if (e.getCause() instanceof InvalidRequestException invalid) {
            return invalid(invalid); // a query parameter that could not be converted
        }
        if (e.getCause() instanceof MismatchedInputException mistyped) {
            return mistyped(mistyped);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (e instanceof jakarta.ws.rs.NotFoundException) {
            return json(status, new ErrorBody("no such path: " + request.method() + " " + request.path(), null));
        }
        return json(
                status,
                new ErrorBody(
                        status.getStatusCode() + " " + status.getReasonPhrase()
                                + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                        null));
    }

    /** Anything else is the server's fault: 503 with Retry-After when the database is unreachable, else 500. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> fault(Throwable e) {
        ServerFault fault = ServerFault.of(e);
        RestResponse.ResponseBuilder<ErrorBody> answer = RestResponse.ResponseBuilder.create(
                        fault.unavailable()
                                ? Response.Status.SERVICE_UNAVAILABLE
                                : Response.Status.INTERNAL_SERVER_ERROR,
                        new ErrorBody(fault.message(), null))
                .type(MediaType.APPLICATION_JSON_TYPE);
        if (fault.unavailable()) {
            answer.header("Retry-After", PgErrors.RETRY_AFTER_SECONDS);
        }
        return answer.build();
    }

    /** Errors are JSON whatever the endpoint produces (e.g. an artifact download). */
    private static RestResponse<ErrorBody> json(Response.StatusType status, ErrorBody body) {
        return RestResponse.ResponseBuilder.create(status, body)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
