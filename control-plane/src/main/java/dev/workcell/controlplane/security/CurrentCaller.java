package dev.workcell.controlplane.security;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The caller of the current REST or gRPC request, without blocking: gRPC authenticates lazily, so
 * the identity is resolved as a Uni. Call {@link #get()} on the request's own thread.
 */
@ApplicationScoped
public class CurrentCaller {

    private final CurrentIdentityAssociation identities;

    public CurrentCaller(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    public Uni<Caller> get() {
        return identities.getDeferredIdentity().map(Caller::of);
    }
}
