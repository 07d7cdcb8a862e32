package dev.workcell.controlplane.security;

import dev.workcell.controlplane.config.WorkcellConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Mutual TLS for agents: with {@code workcell.tls.require-agent-certificate}, every call of the
 * agent services (enroll, the stream, artifact uploads) must come over TLS with a client
 * certificate the server's trust store verified; clients keep using tokens alone. The server asks
 * every TLS client for a certificate (quarkus.http.ssl.client-auth=request) and TLS refuses one
 * its CAs did not sign.
 */
@ApplicationScoped
public class AgentCertificates {

    static final int ROUTE_ORDER = -900;

    private final boolean required;

    public AgentCertificates(WorkcellConfig config) {
        this.required = config.tls().requireAgentCertificate();
    }

    void install(@Observes Router router) {
        if (required) {
            router.route("/workcell.v1.AgentService/*").order(ROUTE_ORDER).handler(this::check);
            router.route("/workcell.v1.ArtifactService/*").order(ROUTE_ORDER).handler(this::check);
        }
    }

    private void check(RoutingContext context) {
        if (hasClientCertificate(context.request().sslSession())) {
            context.next();
            return;
        }
        context.response()
                .putHeader("content-type", "application/grpc")
                .putHeader("grpc-status", "16")
                .putHeader("grpc-message", "agents must present a client certificate (mutual TLS)")
                .end();
    }

    private static boolean hasClientCertificate(SSLSession session) {
        if (session == null) {
            return false;
        }
        try {
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
