package dev.workcell.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.ProcessDatabase;
import dev.workcell.controlplane.testing.TestCertificates;
import dev.workcell.controlplane.testing.TestCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged control plane with a certificate from a CA made at test time, requiring agents to
 * present client certificates of that CA (mutual TLS): a real agent with one enrolls, registers
 * and runs an action over TLS; an agent without one never gets in; clients use TLS and their
 * token; plaintext and clients that do not trust the CA fail; and without a certificate or
 * explicit plaintext the control plane refuses to start.
 */
class TlsIT {

    /** How the control plane refuses an agent's call without a client certificate (AgentCertificates). */
    static final String CERTIFICATE_REQUIRED = "agents must present a client certificate";

    @RegisterExtension
    static final ProcessDatabase DATABASE = new ProcessDatabase();

    static TestCertificates certificates;

    @BeforeAll
    static void certificates() {
        certificates = TestCertificates.create();
    }

    @Test
    void agentsWithCertificatesOfTheCaWorkOverMutualTlsAndNothingElseGetsIn() throws Exception {
        int port = ControlPlaneProcess.freePort();
        Path server = certificates.keyStore("server", "dns:localhost,ip:127.0.0.1");
        Path client = certificates.keyStore("client", "");
        certificates.keyStore("agent", "");
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(
                port,
                DATABASE.environment(),
                Map.of(
                        "WORKCELL_TLS_PORT", Integer.toString(port),
                        "QUARKUS_HTTP_PORT", Integer.toString(ControlPlaneProcess.freePort()),
                        "QUARKUS_TLS_KEY_STORE_P12_PATH", server.toString(),
                        "QUARKUS_TLS_KEY_STORE_P12_PASSWORD", TestCertificates.PASSWORD,
                        "QUARKUS_TLS_TRUST_STORE_PEM_CERTS",
                                certificates.caCertificate().toString(),
                        "WORKCELL_TLS_REQUIRE_AGENT_CERTIFICATE", "true"))) {
            HttpClient withCertificate = https(certificates.clientContext(client));
            String enrollment = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(send(
                                    withCertificate,
                                    port,
                                    "POST",
                                    "/api/v1/enrollment-tokens",
                                    "{\"pool\": \"tls\", \"reusable\": true}")
                            .body())
                    .get("secret")
                    .asText();

            Map<String, String> agentTls = Map.of(
                    "workcell.agent.enrollment-token", enrollment,
                    "quarkus.grpc.clients.control-plane.plain-text", "false",
                    "quarkus.grpc.clients.control-plane.ssl.trust-store",
                            certificates.caCertificate().toString(),
                    "quarkus.grpc.clients.control-plane.ssl.certificate",
                            certificates.certificate("agent").toString(),
                    "quarkus.grpc.clients.control-plane.ssl.key",
                            certificates.privateKey("agent").toString());
            try (AgentProcess agent = AgentProcess.start("tls-host-" + run, "tls-phone-" + run, port, agentTls)
                    .awaitRegistered()) {
                String id = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(send(
                                        withCertificate,
                                        port,
                                        "POST",
                                        "/api/v1/actions",
                                        "{\"operation\": \"EXEC\", \"target\": \"tls-phone-" + run + "\","
                                                + " \"input\": {\"exec\": {\"argv\": [\"echo\", \"over tls\"]}}}")
                                .body())
                        .at("/action/id")
                        .asText();
                awaitSucceeded(withCertificate, port, id);
            }

            Map<String, String> noClientCertificate = Map.of(
                    "workcell.agent.enrollment-token",
                    enrollment,
                    "quarkus.grpc.clients.control-plane.plain-text",
                    "false",
                    "quarkus.grpc.clients.control-plane.ssl.trust-store",
                    certificates.caCertificate().toString());
            try (AgentProcess stranger =
                    AgentProcess.start("stranger-" + run, "stranger-phone-" + run, port, noClientCertificate)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> stranger.logText().contains(CERTIFICATE_REQUIRED));
                assertThat(stranger.logText()).as("the refused agent's log").doesNotContain(AgentProcess.REGISTERED);
            }

            assertThat(send(https(certificates.clientContext(null)), port, "GET", "/api/v1/workers", null)
                            .statusCode())
                    .as("a client needs its token, not a certificate")
                    .isEqualTo(200);
            assertThatThrownBy(() -> send(https(SSLContext.getDefault()), port, "GET", "/api/v1/workers", null))
                    .as("a client that does not trust the CA")
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/workers"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()))
                    .as("plaintext on the TLS port")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void withoutCertificateOrExplicitPlaintextTheControlPlaneRefusesToStart() {
        assertThatThrownBy(() ->
                        ControlPlaneProcess.start(ControlPlaneProcess.freePort(), DATABASE.environment(), Map.of()))
                .hasMessageContaining("Cannot set quarkus.http.insecure-requests without enabling SSL");
    }

    private static void awaitSucceeded(HttpClient client, int port, String id) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                                .readTree(send(client, port, "GET", "/api/v1/actions/" + id, null)
                                        .body())
                                .get("status")
                                .asText())
                        .isEqualTo("SUCCEEDED"));
    }

    private static HttpClient https(SSLContext context) {
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpResponse<String> send(HttpClient client, int port, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isLessThan(300);
        return response;
    }
}
