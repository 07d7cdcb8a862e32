package dev.workcell.controlplane.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a bearer secret, from REST or gRPC, into the caller's identity; an unknown or revoked one fails.
 * A call looks its secret up once: gRPC's deferred identity is not memoised, and every subscriber
 * (the role check, the caller's name for the ledger...) would otherwise read the database again.
 */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private static final String CHECKED = "workcell.bearer.identity";

    private final Credentials credentials;

    public BearerIdentityProvider(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!VertxContext.isOnDuplicatedContext()) {
            return identity(request.getToken().getToken());
        }
        CheckedSecret checked = ContextLocals.<CheckedSecret>get(CHECKED).orElse(null);
        if (checked == null || !checked.secret().equals(request.getToken().getToken())) {
            checked = new CheckedSecret(
                    request.getToken().getToken(),
                    identity(request.getToken().getToken()).memoize().indefinitely());
            ContextLocals.put(CHECKED, checked);
        }
        return checked.identity();
    }

    private Uni<SecurityIdentity> identity(String secret) {
        return credentials.check(secret).map(found -> {
            Caller caller =
                    found.orElseThrow(() -> new AuthenticationFailedException(BearerHttpMechanism.UNKNOWN_CREDENTIAL));
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

    /** The identity a request's secret resolved to, or will: one lookup shared by every subscriber. */
    private record CheckedSecret(String secret, Uni<SecurityIdentity> identity) {}
}
