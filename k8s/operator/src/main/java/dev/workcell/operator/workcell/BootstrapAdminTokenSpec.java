package dev.workcell.operator.workcell;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.workcell.operator.common.Names;
import io.fabric8.generator.annotation.Pattern;

/**
 * The Secret key holding the control plane's bootstrap admin token (README, Security: "First
 * admin"). When the Secret does not exist the operator creates it with a fresh random token.
 */
public record BootstrapAdminTokenSpec(
        @Pattern(Names.DNS_SUBDOMAIN)
        @JsonPropertyDescription("Secret name (default: <workcell>-bootstrap-admin-token).")
        String secretName,

        @Pattern(Names.SECRET_KEY) @JsonPropertyDescription("Key of the token in the Secret (default: token).")
        String key) {

    public static final BootstrapAdminTokenSpec DEFAULT = new BootstrapAdminTokenSpec(null, null);
    public static final String DEFAULT_KEY = "token";

    public String secretNameFor(String workcellName) {
        return secretName == null ? workcellName + "-bootstrap-admin-token" : secretName;
    }

    public String keyOrDefault() {
        return key == null ? DEFAULT_KEY : key;
    }
}
