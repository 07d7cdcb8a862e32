package dev.workcell.cli.connect;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** The REST API (the admin endpoints have no gRPC): JSON in and out, the bearer token, errors as exit codes. */
public final class Rest {

    private final HttpClient http;
    private final URI api;
    private final String token;
    private final Duration timeout;

    Rest(HttpClient http, URI api, String token, Duration timeout) {
        this.http = http;
        this.api = api;
        this.token = token;
        this.timeout = timeout;
    }

    public JsonElement get(String path) {
        return send(request(path).GET());
    }

    public JsonElement post(String path, JsonObject body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public JsonElement put(String path, JsonObject body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public JsonElement delete(String path) {
        return send(request(path).DELETE());
    }

    /**
     * A value as it may stand in a path segment or a query parameter: a device's serial or an admin's note may hold
     * characters a URI does not take as they are.
     */
    public static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(api + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private JsonElement send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach " + api + ": " + reason(e), e);
        } catch (HttpTimeoutException e) {
            throw new CliException(
                    ExitCodes.TIMED_OUT, "no answer from " + api + " within " + timeout.toSeconds() + " s", e);
        } catch (SSLException e) {
            throw new CliException(
                    ExitCodes.UNREACHABLE,
                    "TLS with " + api + " failed: " + reason(e)
                            + " (--ca names the CA that signed the server's certificate)",
                    e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach " + api + ": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
        }
        if (response.statusCode() / 100 == 2) {
            return response.body().isEmpty() ? new JsonObject() : JsonParser.parseString(response.body());
        }
        throw new CliException(
                exitCode(response.statusCode()), response.statusCode() + ": " + errorText(response.body()));
    }

    static int exitCode(int httpStatus) {
        return switch (httpStatus) {
            case 400, 405, 413, 415 -> ExitCodes.USAGE;
            case 401, 403 -> ExitCodes.NOT_ALLOWED;
            case 404 -> ExitCodes.NOT_FOUND;
            case 502, 503, 504 -> ExitCodes.UNREACHABLE;
            default -> ExitCodes.FAILED;
        };
    }

    /** The API's error shape {"error": ..., "field": ...} as one sentence. */
    private static String errorText(String body) {
        try {
            JsonObject error = JsonParser.parseString(body).getAsJsonObject();
            String text = error.get("error").getAsString();
            return error.has("field") && !error.get("field").isJsonNull()
                    ? text + " (field " + error.get("field").getAsString() + ")"
                    : text;
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            return body.isBlank() ? "(no body)" : body;
        }
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
    }
}
