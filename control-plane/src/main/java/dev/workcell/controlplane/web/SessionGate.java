package dev.workcell.controlplane.web;

import dev.workcell.controlplane.security.SessionIdentityProvider;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every dashboard route but sign-in and sign-out needs a live session (a bearer token is not one):
 * without it the person is sent to sign in before the route runs, so that a live (SSE) route is
 * refused before its stream starts.
 */
public class SessionGate {

    private final CurrentIdentityAssociation identities;

    public SessionGate(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<RestResponse<Void>> check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/api/") || path.equals(SignInPage.PATH) || path.equals(SignInPage.SIGN_OUT)) {
            return Uni.createFrom().nullItem();
        }
        return identities
                .getDeferredIdentity()
                .map(identity -> identity.isAnonymous()
                                || identity.getAttribute(SessionIdentityProvider.CSRF_ATTRIBUTE) == null
                        ? WebErrors.toSignIn(
                                request.getUriInfo().getRequestUri().getRawPath()
                                        + (request.getUriInfo().getRequestUri().getRawQuery() == null
                                                ? ""
                                                : "?"
                                                        + request.getUriInfo()
                                                                .getRequestUri()
                                                                .getRawQuery()),
                                request.getHeaderString("HX-Request") != null)
                        : null);
    }
}
