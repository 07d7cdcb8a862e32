package dev.workcell.operator.pool.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The calls the operator makes to one control plane's REST API, as its bootstrap admin: read a
 * pool, create an enrollment token, drain and revoke agents. A call that gets no answer or a 5xx
 * throws {@link ControlPlaneUnreachable}, a 4xx {@link ControlPlaneRefused} with the control
 * plane's own message. The admin token and enrollment secrets never go into a message.
 */
public final class ControlPlaneApi {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpClient http;
    private final URI base;
    private final String adminToken;
    private final Duration timeout;

    public ControlPlaneApi(HttpClient http, URI base, String adminToken, Duration timeout) {
        this.http = http;
        this.base = base;
        this.adminToken = adminToken;
        this.timeout = timeout;
    }

    public URI base() {
        return base;
    }

    /** The pool, or empty when no enrollment token names it yet. */
    public Optional<PoolView> pool(String pool) throws ControlPlaneUnreachable, ControlPlaneRefused {
        try {
            return Optional.of(JSON.treeToValue(call("GET", "pools/" + encode(pool), null), PoolView.class));
        } catch (ControlPlaneRefused e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new ControlPlaneUnreachable(
                    "the answer of " + base + " to GET pools/" + pool + " is not a pool: " + e.getMessage(), e);
        }
    }

    /** A reusable enrollment token for the pool, with its labels, valid for {@code lifetime}. */
    public EnrollmentToken createEnrollmentToken(String pool, List<String> labels, Duration lifetime)
            throws ControlPlaneUnreachable, ControlPlaneRefused {
        JsonNode created = call(
                "POST",
                "enrollment-tokens",
                Map.of("pool", pool, "labels", labels, "reusable", true, "expiresInSeconds", lifetime.toSeconds()));
        return new EnrollmentToken(
                created.path("token").path("id").asText(),
                Instant.parse(created.path("token").path("expiresAt").asText()),
                created.path("secret").asText());
    }

    /** The agent's workers get no new task; what they run finishes. */
    public void drain(String agentId) throws ControlPlaneUnreachable, ControlPlaneRefused {
        call("POST", "agents/" + encode(agentId) + "/drain", null);
    }

    /** Its devices take queued actions again. */
    public void undrain(String agentId) throws ControlPlaneUnreachable, ControlPlaneRefused {
        call("POST", "agents/" + encode(agentId) + "/undrain", null);
    }

    /** Revokes the agent: its credential is refused and it leaves the pool's counts. */
    public void revoke(String agentId) throws ControlPlaneUnreachable, ControlPlaneRefused {
        call("DELETE", "agents/" + encode(agentId), null);
    }

    private JsonNode call(String method, String path, Object body) throws ControlPlaneUnreachable, ControlPlaneRefused {
        URI uri = base.resolve("/api/v1/" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + adminToken)
                .header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 500) {
                throw new ControlPlaneUnreachable(
                        method + " " + uri + " answered " + status + ": " + error(response.body()), null);
            }
            if (status >= 400) {
                throw new ControlPlaneRefused(
                        status, method + " " + uri + " answered " + status + ": " + error(response.body()));
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ControlPlaneUnreachable(method + " " + uri + " does not answer (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneUnreachable(method + " " + uri + " was interrupted", e);
        }
    }

    /** The control plane's {"error": ...} message, or the start of whatever it answered. */
    private static String error(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
        } catch (IOException ignored) {
            // not JSON: say what came
        }
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage();
        return e.getClass().getSimpleName() + message;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
