package dev.workcell.cli.connect;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a control plane answers REST and gRPC (one port): {@code https://host[:port]} (8443 by default),
 * {@code http://host[:port]} for a plaintext development server (8080), or {@code host[:port]} for https.
 */
public record ServerAddress(boolean tls, String host, int port) {

    public static ServerAddress parse(String text) {
        String value = text.trim();
        URI uri;
        try {
            uri = new URI(value.contains("://") ? value : "https://" + value);
        } catch (URISyntaxException e) {
            throw invalid(text, e.getReason());
        }
        boolean tls = switch (uri.getScheme() == null ? "" : uri.getScheme()) {
            case "https" -> true;
            case "http" -> false;
            default -> throw invalid(text, "the scheme must be https or http");
        };
        if (uri.getHost() == null
                || !(uri.getRawPath() == null
                        || uri.getRawPath().isEmpty()
                        || uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null
                || uri.getRawUserInfo() != null) {
            throw invalid(text, "expected scheme://host[:port] and nothing more");
        }
        String host = uri.getHost().startsWith("[")
                ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        return new ServerAddress(tls, host, uri.getPort() == -1 ? (tls ? 8443 : 8080) : uri.getPort());
    }

    private static CliException invalid(String text, String why) {
        return new CliException(
                ExitCodes.USAGE,
                "invalid server '" + text + "': " + why
                        + " (e.g. https://cp.example.org:8443 or http://localhost:8080)");
    }

    /** The REST root of the API, e.g. https://cp:8443/api/v1. */
    public URI api() {
        return URI.create(toString() + "/api/v1");
    }

    @Override
    public String toString() {
        return (tls ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
