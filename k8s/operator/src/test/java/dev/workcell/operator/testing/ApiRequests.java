package dev.workcell.operator.testing;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.util.Optional;

/**
 * What a request to the API server asks for, in RBAC's terms: "group/resource verb", e.g.
 * "apps/deployments update" or "/secrets list" (the core group is empty). Discovery requests
 * (no resource) are empty: every authenticated client may make them.
 */
public final class ApiRequests {

    private ApiRequests() {}

    public static Optional<String> permission(RecordedRequest request) {
        URI uri = URI.create(request.getPath());
        String[] parts = uri.getPath().substring(1).split("/");
        int resourceAt;
        String group;
        if (parts[0].equals("api")) {
            group = "";
            resourceAt = 2;
        } else if (parts[0].equals("apis")) {
            group = parts[1];
            resourceAt = 3;
        } else {
            return Optional.empty();
        }
        if (parts.length > resourceAt && parts[resourceAt].equals("namespaces") && parts.length > resourceAt + 2) {
            resourceAt += 2;
        }
        if (parts.length <= resourceAt) {
            return Optional.empty();
        }
        String resource = parts[resourceAt];
        boolean named = parts.length > resourceAt + 1;
        if (parts.length > resourceAt + 2) {
            resource += "/" + parts[resourceAt + 2];
        }
        boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
        String verb = switch (request.getMethod()) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> request.getMethod();
        };
        return Optional.of(group + "/" + resource + " " + verb);
    }
}
