package dev.workcell.controlplane.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a dashboard session into the identity of the token it was opened with (same id, name and
 * roles as that token's bearer calls), carrying the session's CSRF token; an ended session fails.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionAuthenticationRequest> {

    /** The identity attribute that holds the session's CSRF token. */
    public static final String CSRF_ATTRIBUTE = "workcell.csrf";

    private final DashboardSessions sessions;

    public SessionIdentityProvider(DashboardSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<SessionAuthenticationRequest> getRequestType() {
        return SessionAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            SessionAuthenticationRequest request, AuthenticationRequestContext context) {
        return sessions.find(request.secret()).map(found -> {
            DashboardSessions.Session session =
                    found.orElseThrow(() -> new AuthenticationFailedException("session ended"));
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(session.caller().id()))
                    .addRoles(session.caller().roles())
                    .addAttribute(Caller.NAME_ATTRIBUTE, session.caller().name())
                    .addAttribute(CSRF_ATTRIBUTE, session.csrfToken())
                    .build();
        });
    }
}
