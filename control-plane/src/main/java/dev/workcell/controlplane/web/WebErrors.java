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
        return toSignIn(request.uri(), request.getHeader("HX-Request") != null);
    }

    /** To the sign-in page, then back to {@code uri}; an htmx request is told with HX-Redirect (a 303 would be swapped into the page). */
    static RestResponse<Void> toSignIn(String uri, boolean htmx) {
        URI signIn = URI.create(SignInPage.PATH + "?next=" + URLEncoder.encode(uri, StandardCharsets.UTF_8));
        if (htmx) {
            return RestResponse.ResponseBuilder.<Void>create(RestResponse.Status.UNAUTHORIZED)
                    .header("HX-Redirect", signIn.toString())
                    .build();
        }
        return RestResponse.seeOther(signIn);
    }
}
