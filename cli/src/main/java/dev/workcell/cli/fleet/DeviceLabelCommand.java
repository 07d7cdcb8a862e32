package dev.workcell.cli.fleet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.connect.Rest;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** workcell devices label: replaces the labels an admin gave a device; they are dimensions at once. */
@Command(
        name = "label",
        description = {
            "Give a device labels, replacing those admins gave it before (admin).",
            "They are dimensions at once (submit --dim KEY=VALUE) and win over the agent's label of the same key."
        })
public class DeviceLabelCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(
            index = "0",
            paramLabel = "DEVICE",
            description = "The device: its id or serial (`workcell devices` shows both).")
    String id;

    @Parameters(
            index = "1..*",
            arity = "0..*",
            paramLabel = "KEY=VALUE",
            description = "All the labels the device is to have from admins.")
    Map<String, String> given = Map.of();

    @Option(names = "--clear", description = "Remove every label admins gave the device.")
    boolean clear;

    @Override
    public Integer call() {
        if (clear != given.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "give KEY=VALUE labels, or --clear alone");
        }
        JsonObject body = new JsonObject();
        JsonObject wanted = new JsonObject();
        given.forEach(wanted::addProperty);
        body.add("labels", wanted);
        JsonElement device;
        try (ControlPlane controlPlane = connection.open()) {
            device = controlPlane.rest().put("/devices/" + Rest.encoded(id) + "/labels", body);
        }
        Map<String, String> now = new TreeMap<>();
        JsonElement adminLabels = device.getAsJsonObject().get("adminLabels");
        if (adminLabels != null) {
            adminLabels
                    .getAsJsonObject()
                    .entrySet()
                    .forEach(entry -> now.put(entry.getKey(), entry.getValue().getAsString()));
        }
        output.print(
                System.out,
                device,
                List.of(device),
                out -> out.println("labelled " + Json.text(device, "id")
                        + (now.isEmpty()
                                ? ": no admin labels"
                                : ": "
                                        + String.join(
                                                ", ",
                                                now.entrySet().stream()
                                                        .map(entry -> entry.getKey() + "=" + entry.getValue())
                                                        .toList()))));
        return 0;
    }
}
