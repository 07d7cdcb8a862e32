package dev.workcell.cli.admin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * Creating a token over REST (admin): POST, then what was created and its secret, which the API
 * shows this once ({"token": ..., "secret": ...}).
 */
public abstract class AdminCreation implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    /** The collection under /api/v1, e.g. "/tokens". */
    protected abstract String collection();

    protected abstract JsonObject request();

    /** One line for people about the created token. */
    protected abstract String describe(JsonElement token);

    @Override
    public Integer call() {
        JsonObject request = request();
        JsonElement created;
        try (ControlPlane controlPlane = connection.open()) {
            created = controlPlane.rest().post(collection(), request);
        }
        output.print(System.out, created, List.of(created), out -> {
            out.println(describe(created.getAsJsonObject().get("token")));
            out.println("secret, shown once: " + Json.text(created, "secret"));
        });
        return 0;
    }
}
