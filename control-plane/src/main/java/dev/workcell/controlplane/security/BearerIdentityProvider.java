package dev.workcell.controlplane.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a bearer secret, from REST or gRPC, into the caller's identity; an unknown or revoked one fails. */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final Credentials credentials;

    public BearerIdentityProvider(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return credentials.check(request.getToken().getToken()).map(found -> {
            Caller caller = found.orElseThrow(() -> new AuthenticationFailedException(BearerHttpMechanism.UNKNOWN_CREDENTIAL));
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(caller.id()))
                    .addRoles(caller.roles())
                    .addAttribute(Caller.NAME_ATTRIBUTE, caller.name());
            if (caller.agentHostId() != null) {
                identity.addAttribute(Caller.HOST_ATTRIBUTE, caller.agentHostId());
            }
            return identity.build();
        });
    }
}
