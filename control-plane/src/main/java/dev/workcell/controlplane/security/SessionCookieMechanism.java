package dev.workcell.controlplane.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Dashboard pages authenticate with the session cookie a sign-in set. The API never does (a
 * cookie sent along to /api/ is ignored): its callers present a bearer token, so that no API call
 * can be forged through a signed-in browser. Anonymous requests are left to the pages, which send
 * the person to the sign-in page; the API's 401 challenge stays {@link BearerHttpMechanism}'s.
 */
@ApplicationScoped
public class SessionCookieMechanism implements HttpAuthenticationMechanism {

    public static final String COOKIE = "workcell_session";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue().isEmpty() || !isPage(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        // An ended session is no session: the page sends its person to sign in again.
        return identities
                .authenticate(new SessionAuthenticationRequest(cookie.getValue()))
                .onFailure(AuthenticationFailedException.class)
                .recoverWithNull();
    }

    /** Dashboard pages and their live parts; not the API, gRPC, static files or the management paths. */
    static boolean isPage(String path) {
        return !path.startsWith("/api/")
                && !path.startsWith("/workcell.v1.")
                && !path.startsWith("/webjars/")
                && !path.startsWith("/q/")
                && !path.startsWith("/grpc.");
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        return Uni.createFrom().item(false);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SessionAuthenticationRequest.class);
    }

    /**
     * After the bearer mechanism, whose 401 challenge the API answers with, and before Quarkus's mTLS
     * mechanism (DEFAULT_PRIORITY), which would make a browser's client certificate a role-less identity.
     */
    @Override
    public int getPriority() {
        return BearerHttpMechanism.PRIORITY - 50;
    }
}
