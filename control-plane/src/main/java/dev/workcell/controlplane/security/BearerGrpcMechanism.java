package dev.workcell.controlplane.security;

import io.grpc.Metadata;
import io.quarkus.grpc.auth.GrpcSecurityMechanism;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import jakarta.inject.Singleton;

/** gRPC callers authenticate with the metadata {@code authorization: Bearer <token>}. */
@Singleton
public class BearerGrpcMechanism implements GrpcSecurityMechanism {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public boolean handles(Metadata metadata) {
        String header = metadata.get(AUTHORIZATION);
        return header != null
                && header.regionMatches(true, 0, BearerHttpMechanism.PREFIX, 0, BearerHttpMechanism.PREFIX.length());
    }

    @Override
    public AuthenticationRequest createAuthenticationRequest(Metadata metadata) {
        return new TokenAuthenticationRequest(new TokenCredential(
                metadata.get(AUTHORIZATION)
                        .substring(BearerHttpMechanism.PREFIX.length())
                        .trim(),
                "bearer"));
    }
}
