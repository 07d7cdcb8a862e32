package dev.workcell.controlplane.web;

import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A dashboard request without a session goes to the sign-in page, and comes back after it. */
public class WebErrors {

    @ServerExceptionMapper
    public RestResponse<Void> notSignedIn(NotSignedInException e, HttpServerRequest request) {
        String back = request.uri();
        URI signIn = URI.create("/signin?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
        if (request.getHeader("HX-Request") != null) {
            // htmx follows HX-Redirect with a full page load; a plain 303 would be swapped into the page.
            return RestResponse.ResponseBuilder.<Void>create(RestResponse.Status.UNAUTHORIZED).header("HX-Redirect", signIn.toString()).build();
        }
        return RestResponse.seeOther(signIn);
    }
}
