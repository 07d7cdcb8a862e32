package dev.workcell.operator.workcell;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.workcell.operator.common.SecretKeyRef;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The control plane's PostgreSQL: host, port and name, or one URL; credentials from Secrets. */
@ValidationRule(value = DatabaseSpec.ONE_ADDRESS_RULE, message = DatabaseSpec.ONE_ADDRESS_MESSAGE)
public record DatabaseSpec(
        @Pattern(HOST) @JsonPropertyDescription("Host name or address of PostgreSQL (with name; or give url).")
        String host,

        @Min(1) @Max(65535) @JsonPropertyDescription("Port of PostgreSQL (default 5432).")
        Integer port,

        @Pattern(NAME) @JsonPropertyDescription("Database name (with host; or give url).")
        String name,

        @Pattern(URL)
        @JsonPropertyDescription("postgresql://host[:port]/database[?parameters], instead of host, port and name.")
        String url,

        @Required @JsonPropertyDescription("The Secret key holding the database user name.")
        SecretKeyRef user,

        @Required @JsonPropertyDescription("The Secret key holding the database password.")
        SecretKeyRef password,

        @Min(1)
        @Max(1000)
        @JsonPropertyDescription("Connections per control-plane replica (default: the control plane's, 16).")
        Integer poolSize) {

    public static final int DEFAULT_PORT = 5432;
    public static final String HOST = "^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$";
    public static final String NAME = "^[^/?#\\s]+$";
    public static final String URL = "^postgresql://[^/?#\\s]+/[^/?#\\s]+(\\?[^#\\s]*)?$";
    static final String ONE_ADDRESS_RULE =
            "has(self.url) ? !has(self.host) && !has(self.name) : has(self.host) && has(self.name)";
    static final String ONE_ADDRESS_MESSAGE = "set either url, or host and name";

    private static final String URL_SCHEME = "postgresql://";

    /** The control plane's WORKCELL_DB: host:port/database[?parameters]. */
    public String address() {
        if (url != null) {
            return url.substring(URL_SCHEME.length());
        }
        return host + ":" + (port == null ? DEFAULT_PORT : port) + "/" + name;
    }
}
