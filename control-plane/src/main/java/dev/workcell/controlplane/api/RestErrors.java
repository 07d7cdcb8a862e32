package dev.workcell.controlplane.api;

import dev.workcell.controlplane.action.ConflictException;
import dev.workcell.controlplane.action.InvalidRequestException;
import dev.workcell.controlplane.action.NotFoundException;
import dev.workcell.controlplane.action.TooLargeException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps the control plane's errors to HTTP statuses with a JSON body that says what is wrong. */
public class RestErrors {

    /** The body of every REST error. {@code field} names the offending request field, when there is one. */
    public record ErrorBody(String error, String field) {
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> invalid(InvalidRequestException e) {
        return json(Response.Status.BAD_REQUEST, new ErrorBody(e.getMessage(), e.field()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> notFound(NotFoundException e) {
        return json(Response.Status.NOT_FOUND, new ErrorBody(e.getMessage(), null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> tooLarge(TooLargeException e) {
        return json(Response.Status.REQUEST_ENTITY_TOO_LARGE, new ErrorBody(e.getMessage(), null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> conflict(ConflictException e) {
        return json(Response.Status.CONFLICT, new ErrorBody(e.getMessage(), null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> denied(dev.workcell.controlplane.security.PermissionDeniedException e) {
        return json(Response.Status.FORBIDDEN, new ErrorBody(e.getMessage(), null));
    }

    /** Errors are JSON whatever the endpoint produces (e.g. an artifact download). */
    private static RestResponse<ErrorBody> json(Response.Status status, ErrorBody body) {
        return RestResponse.ResponseBuilder.create(status, body).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
