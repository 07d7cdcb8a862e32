package dev.workcell.controlplane.security;

import dev.workcell.controlplane.errors.ErrorBody;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * REST callers authenticate with {@code Authorization: Bearer <token>}; without it they are anonymous
 * (and refused by every endpoint). gRPC calls on the same port are left to {@link BearerGrpcMechanism}.
 */
@ApplicationScoped
public class BearerHttpMechanism implements HttpAuthenticationMechanism {

    static final String PREFIX = "Bearer ";
    public static final String CHALLENGE = "Bearer realm=\"workcell\"";
    public static final String UNKNOWN_CREDENTIAL = "unknown, expired or revoked credential";
    public static final String NO_CREDENTIAL =
            "a valid credential is required: header \"Authorization: Bearer <token>\"";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (isGrpc(context) || header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new TokenAuthenticationRequest(
                new TokenCredential(header.substring(PREFIX.length()).trim(), "bearer")));
    }

    /**
     * Before Quarkus's mTLS mechanism, which has DEFAULT_PRIORITY too because the server asks TLS clients
     * for a certificate (quarkus.http.ssl.client-auth=request): with equal priorities their order is
     * arbitrary, and a client that presents a certificate and a token got the certificate's identity,
     * which has no role. Certificates only admit agents (AgentCertificates); tokens say who calls.
     */
    static final int PRIORITY = DEFAULT_PRIORITY + 100;

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    /** The challenge with the JSON error body every REST error has. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        context.response()
                .setStatusCode(401)
                .putHeader("WWW-Authenticate", CHALLENGE)
                .putHeader("Content-Type", "application/json")
                .end(new ErrorBody(
                                context.request().getHeader("Authorization") == null
                                        ? NO_CREDENTIAL
                                        : UNKNOWN_CREDENTIAL,
                                null)
                        .toJson());
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    /**
     * gRPC calls are authenticated by {@link BearerGrpcMechanism}, inside the call, whose refusals are
     * gRPC statuses (not a bare HTTP 401). Checked here, the
     * token's database read would hold the HTTP/2 stream before gRPC sees it, and a client's cancel
     * arriving meanwhile would be lost (the call then stays subscribed) or logged as an error.
     */
    private static boolean isGrpc(RoutingContext context) {
        String contentType = context.request().getHeader("Content-Type");
        return contentType != null && contentType.startsWith("application/grpc");
    }
}
