package dev.workcell.operator.pool;

import dev.workcell.operator.common.SecretKeyRef;
import dev.workcell.operator.pool.api.ControlPlaneApi;
import dev.workcell.operator.pool.api.TrustedCertificates;
import dev.workcell.operator.workcell.TlsSpec;
import dev.workcell.operator.workcell.Workcell;
import dev.workcell.operator.workcell.deploy.ApiService;
import dev.workcell.operator.workcell.deploy.BootstrapAdminToken;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the control plane of a pool's Workcell: its API inside the cluster (the Workcell's Service,
 * https unless the Workcell is plaintext) or the URL configured for it, the bootstrap admin token
 * from the Workcell's Secret, and, over TLS, the certificate to trust (ca.crt of the server
 * certificate Secret, else its tls.crt). HTTP clients are kept per trusted certificate.
 */
@ApplicationScoped
public class ControlPlaneEndpoints {

    private final PoolConfig config;
    private final HttpClient plain;
    private final Map<String, HttpClient> tlsClients = new ConcurrentHashMap<>();

    public ControlPlaneEndpoints(PoolConfig config) {
        this.config = config;
        this.plain =
                HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
    }

    public ControlPlane resolve(WorkcellAgentPool pool, KubernetesClient client) throws PoolProblem {
        String namespace = pool.getMetadata().getNamespace();
        String name = pool.getSpec().workcellRef().name();
        Workcell workcell = client.resources(Workcell.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
        if (workcell == null || workcell.getSpec() == null) {
            throw new PoolProblem(
                    "WorkcellNotFound",
                    "spec.workcellRef: no Workcell " + name + " in namespace " + namespace
                            + ": create it, or name an existing one; no agent pod was changed");
        }
        String adminToken =
                secretValue(client, namespace, BootstrapAdminToken.reference(workcell), "the bootstrap admin token");
        TlsSpec tls = workcell.getSpec().tls();
        boolean plaintext = tls == null || tls.plaintextRequested();
        String url = config.controlPlaneUrls()
                .getOrDefault(name, (plaintext ? "http://" : "https://") + ApiService.endpoint(workcell));
        String trustKey = plaintext ? null : trustKey(client, namespace, tls);
        HttpClient http = url.startsWith("https:") ? tlsClient(client, namespace, tls, trustKey) : plain;
        String endpoint = ApiService.endpoint(workcell);
        int colon = endpoint.lastIndexOf(':');
        return new ControlPlane(
                new ControlPlaneApi(http, URI.create(url), adminToken, config.requestTimeout()),
                endpoint.substring(0, colon),
                Integer.parseInt(endpoint.substring(colon + 1)),
                plaintext,
                plaintext ? null : tls.serverCertificateSecret(),
                trustKey,
                workcell.getSpec().version());
    }

    /** ca.crt of the server certificate Secret when it has one (cert-manager writes it), else its tls.crt. */
    private static String trustKey(KubernetesClient client, String namespace, TlsSpec tls) throws PoolProblem {
        Secret secret = client.secrets()
                .inNamespace(namespace)
                .withName(tls.serverCertificateSecret())
                .get();
        if (secret == null || secret.getData() == null) {
            throw new PoolProblem(
                    "SecretMissing",
                    "Secret " + tls.serverCertificateSecret()
                            + " (the Workcell's server certificate, which the operator and the agents trust) does not exist");
        }
        if (secret.getData().containsKey(TlsSpec.CA_KEY)) {
            return TlsSpec.CA_KEY;
        }
        if (secret.getData().containsKey(TlsSpec.CERTIFICATE_KEY)) {
            return TlsSpec.CERTIFICATE_KEY;
        }
        throw new PoolProblem(
                "SecretMissing", "Secret " + tls.serverCertificateSecret() + " has neither ca.crt nor tls.crt");
    }

    private HttpClient tlsClient(KubernetesClient client, String namespace, TlsSpec tls, String trustKey)
            throws PoolProblem {
        String encoded = client.secrets()
                .inNamespace(namespace)
                .withName(tls.serverCertificateSecret())
                .get()
                .getData()
                .get(trustKey);
        String pem = new String(Base64.getDecoder().decode(encoded), StandardCharsets.US_ASCII);
        try {
            HttpClient existing = tlsClients.get(pem);
            if (existing != null) {
                return existing;
            }
            HttpClient created = HttpClient.newBuilder()
                    .connectTimeout(config.requestTimeout())
                    .sslContext(TrustedCertificates.sslContext(pem))
                    .build();
            tlsClients.put(pem, created);
            return created;
        } catch (GeneralSecurityException e) {
            throw new PoolProblem(
                    "CertificateInvalid",
                    "Secret " + tls.serverCertificateSecret() + ": its ca.crt or tls.crt is not a PEM certificate ("
                            + e.getMessage() + ")");
        }
    }

    static String secretValue(KubernetesClient client, String namespace, SecretKeyRef reference, String what)
            throws PoolProblem {
        Secret secret = client.secrets()
                .inNamespace(namespace)
                .withName(reference.name())
                .get();
        String encoded = secret == null || secret.getData() == null
                ? null
                : secret.getData().get(reference.key());
        if (encoded == null) {
            throw new PoolProblem("SecretMissing", reference + " (" + what + ") does not exist");
        }
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
    }
}
