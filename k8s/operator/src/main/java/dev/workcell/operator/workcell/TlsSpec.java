package dev.workcell.operator.workcell;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.workcell.operator.common.Names;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Transport security of the API port. The control plane serves TLS with the server certificate;
 * plaintext only when asked for (a trial, or a mesh that encrypts), as the control plane itself
 * refuses to start with neither.
 */
@ValidationRule(value = TlsSpec.CERTIFICATE_OR_PLAINTEXT_RULE, message = TlsSpec.CERTIFICATE_OR_PLAINTEXT_MESSAGE)
@ValidationRule(value = TlsSpec.AGENT_CA_RULE, message = TlsSpec.AGENT_CA_MESSAGE)
public record TlsSpec(
        @Pattern(Names.DNS_SUBDOMAIN)
        @JsonPropertyDescription("A kubernetes.io/tls Secret (tls.crt, tls.key) with the server certificate.")
        String serverCertificateSecret,

        @Pattern(Names.DNS_SUBDOMAIN)
        @JsonPropertyDescription(
                "A Secret whose ca.crt holds the CA certificate(s) agents' client certificates are signed by.")
        String agentCaSecret,

        @JsonPropertyDescription("Agents must present a client certificate signed by the agent CA (mutual TLS).")
        Boolean requireAgentCertificates,

        @JsonPropertyDescription(
                "Serve the API without TLS (port 8080): only for a trial or behind a mesh that encrypts.")
        Boolean plaintext) {

    /** Keys of the Secrets, as cert-manager and kubectl create secret tls write them. */
    public static final String CERTIFICATE_KEY = "tls.crt";

    public static final String PRIVATE_KEY_KEY = "tls.key";
    public static final String CA_KEY = "ca.crt";

    static final String CERTIFICATE_OR_PLAINTEXT_RULE =
            "has(self.serverCertificateSecret) != (has(self.plaintext) && self.plaintext)";
    static final String CERTIFICATE_OR_PLAINTEXT_MESSAGE = "set either serverCertificateSecret, or plaintext: true";
    static final String AGENT_CA_RULE =
            "!(has(self.requireAgentCertificates) && self.requireAgentCertificates) || has(self.agentCaSecret)";
    static final String AGENT_CA_MESSAGE = "requireAgentCertificates needs agentCaSecret";

    public boolean plaintextRequested() {
        return Boolean.TRUE.equals(plaintext);
    }

    public boolean agentCertificatesRequired() {
        return Boolean.TRUE.equals(requireAgentCertificates);
    }
}
