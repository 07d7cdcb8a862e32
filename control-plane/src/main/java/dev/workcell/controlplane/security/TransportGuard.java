package dev.workcell.controlplane.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;

/**
 * Plaintext only when asked for: the control plane serves HTTP (REST and gRPC) without TLS only
 * with WORKCELL_PLAINTEXT=enabled (local development), and refuses to start when it has neither a
 * TLS certificate nor that switch, rather than listening on nothing or in the clear by accident.
 */
@ApplicationScoped
public class TransportGuard {

    void onStart(@Observes StartupEvent event, Config config) {
        boolean plaintext = !"disabled".equals(config.getOptionalValue("quarkus.http.insecure-requests", String.class).orElse("enabled"));
        boolean tls = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .anyMatch(name -> name.startsWith("quarkus.tls.key-store.") || name.startsWith("quarkus.http.ssl.certificate."));
        if (!plaintext && !tls) {
            throw new IllegalStateException("no TLS certificate and plaintext not enabled: give the server a certificate"
                    + " (-Dquarkus.tls.key-store.pem.server.cert=... -Dquarkus.tls.key-store.pem.server.key=..., README \\"TLS\\")"
                    + " or, for local development only, set WORKCELL_PLAINTEXT=enabled");
        }
    }
}
