package dev.workcell.controlplane.web;

import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.security.SessionIdentityProvider;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The person behind a dashboard request, from their session: pages ask for it first, and a
 * request without a live session is sent to the sign-in page ({@link NotSignedInException}).
 */
@ApplicationScoped
public class SignedIn {

    private final CurrentIdentityAssociation identities;

    public SignedIn(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    public Uni<Viewer> viewer() {
        return identities.getDeferredIdentity().map(SignedIn::viewer);
    }

    /** The viewer, who must hold this role: the server refuses (403) whatever the page showed. */
    public Uni<Viewer> withRole(String role) {
        return viewer().invoke(viewer -> {
            if (!viewer.caller().roles().contains(role)) {
                throw new ForbiddenException("the " + viewer.role() + " role may not do this; it needs " + role);
            }
        });
    }

    private static Viewer viewer(SecurityIdentity identity) {
        String csrf = identity.isAnonymous() ? null : identity.getAttribute(SessionIdentityProvider.CSRF_ATTRIBUTE);
        if (csrf == null) {
            throw new NotSignedInException();
        }
        return new Viewer(Caller.of(identity), csrf);
    }
}
