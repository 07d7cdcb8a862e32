package dev.workcell.controlplane.web;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.security.Credentials;
import dev.workcell.controlplane.security.DashboardSessions;
import dev.workcell.controlplane.security.SessionCookieMechanism;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Signing in to the dashboard: a person pastes an API token once; the server checks it as it
 * checks a bearer token, opens a server-side session and sets its cookie (HttpOnly,
 * SameSite=Strict, Secure over TLS). The token itself is never stored in the browser.
 */
@Path("/")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class SignInPage {

    static final String PATH = "/signin";
    static final String SIGN_OUT = "/signout";
    static final String REFUSED = "That token is unknown, expired or revoked, or it is an agent's: paste an API token.";

    private final Template signin;
    private final Credentials credentials;
    private final DashboardSessions sessions;
    private final Duration lifetime;

    public SignInPage(
            @Location("signin.html") Template signin,
            Credentials credentials,
            DashboardSessions sessions,
            WorkcellConfig config) {
        this.signin = signin;
        this.credentials = credentials;
        this.sessions = sessions;
        this.lifetime = config.auth().sessionLifetime();
    }

    @GET
    @Path("signin")
    public TemplateInstance form(@RestQuery String next, @RestQuery boolean refused) {
        return signin.data("next", safeNext(next)).data("error", refused ? REFUSED : null);
    }

    @POST
    @Path("signin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<Void>> signIn(@RestForm String token, @RestForm String next, HttpServerRequest request) {
        String secret = token == null ? "" : token.trim();
        Uni<Optional<Caller>> found =
                secret.isEmpty() ? Uni.createFrom().item(Optional.empty()) : credentials.check(secret);
        return found.chain(caller -> caller.filter(who -> who.agentHostId() == null)
                .map(who -> sessions.open(who, lifetime)
                        .map(opened -> RestResponse.ResponseBuilder.<Void>seeOther(URI.create(safeNext(next)))
                                .cookie(cookie(opened.secret(), lifetime, request.isSSL()))
                                .build()))
                // back to the form (post, redirect, get): a refused sign-in is a page like any other, not an error
                // status
                .orElseGet(() -> Uni.createFrom()
                        .item(RestResponse.seeOther(URI.create(Links.of(PATH)
                                .with("next", safeNext(next))
                                .with("refused", "true")
                                .toString())))));
    }

    /** Ends the session on the server and clears its cookie; the CSRF check guards it like any change. */
    @POST
    @Path("signout")
    public Uni<RestResponse<Void>> signOut(
            @RestCookie(SessionCookieMechanism.COOKIE) String session, HttpServerRequest request) {
        Uni<Void> closed = session == null ? Uni.createFrom().voidItem() : sessions.close(session);
        return closed.map(done -> RestResponse.ResponseBuilder.<Void>create(RestResponse.Status.NO_CONTENT)
                .header("HX-Redirect", PATH)
                .cookie(cookie("", Duration.ZERO, request.isSSL()))
                .build());
    }

    private static NewCookie cookie(String value, Duration lifetime, boolean tls) {
        return new NewCookie.Builder(SessionCookieMechanism.COOKIE)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(tls)
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge((int) lifetime.toSeconds())
                .build();
    }

    /** Only a path of this site: never another origin ("//host", "https://..."). */
    static String safeNext(String next) {
        return next != null && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
    }
}
