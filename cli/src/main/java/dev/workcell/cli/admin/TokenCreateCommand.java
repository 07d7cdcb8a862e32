package dev.workcell.cli.admin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.workcell.cli.DurationConverter;
import dev.workcell.cli.output.Json;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** workcell tokens create: a new API token; its secret is shown this once. */
@Command(name = "create", description = "Create an API token; its secret is printed this once.")
public class TokenCreateCommand extends AdminCreation {

    @Parameters(paramLabel = "NAME", description = "What the token is for, e.g. ci-nightly.")
    String name;

    @Option(names = "--role", required = true, description = "viewer, submitter or admin.")
    String role;

    @Option(
            names = "--expires",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Lifetime, e.g. 30d (default: no expiry).")
    Duration expires;

    @Override
    protected String collection() {
        return "/tokens";
    }

    @Override
    protected JsonObject request() {
        JsonObject request = new JsonObject();
        request.addProperty("name", name);
        request.addProperty("role", role);
        if (expires != null) {
            request.addProperty("expiresInSeconds", expires.toSeconds());
        }
        return request;
    }

    @Override
    protected String describe(JsonElement token) {
        return "created token " + Json.text(token, "id") + " (" + Json.text(token, "name") + ", "
                + Json.text(token, "role") + ")";
    }
}
