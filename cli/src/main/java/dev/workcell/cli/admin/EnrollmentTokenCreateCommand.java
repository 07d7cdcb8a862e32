package dev.workcell.cli.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.workcell.cli.DurationConverter;
import dev.workcell.cli.output.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** workcell enrollment-tokens create: a token for agents of a pool to enroll with; its secret is shown this once. */
@Command(
        name = "create",
        description = "Create an enrollment token for a pool of hosts; its secret is printed this once.")
public class EnrollmentTokenCreateCommand extends AdminCreation {

    @Option(names = "--pool", required = true, description = "The pool its agents join, e.g. lab-2.")
    String pool;

    @Option(names = "--label", paramLabel = "LABEL", description = "A label of its agents (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--reusable", description = "Many hosts may enroll with it (default: one).")
    boolean reusable;

    @Option(
            names = "--expires",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Lifetime, e.g. 24h (the control plane's default: 24h).")
    Duration expires;

    @Override
    protected String collection() {
        return "/enrollment-tokens";
    }

    @Override
    protected JsonObject request() {
        JsonObject request = new JsonObject();
        request.addProperty("pool", pool);
        JsonArray labelArray = new JsonArray();
        labels.forEach(labelArray::add);
        request.add("labels", labelArray);
        request.addProperty("reusable", reusable);
        if (expires != null) {
            request.addProperty("expiresInSeconds", expires.toSeconds());
        }
        return request;
    }

    @Override
    protected String describe(JsonElement token) {
        return "created enrollment token " + Json.text(token, "id") + " (pool " + Json.text(token, "pool") + ")";
    }
}
