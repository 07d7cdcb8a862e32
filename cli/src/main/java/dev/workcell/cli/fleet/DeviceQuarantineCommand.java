package dev.workcell.cli.fleet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.connect.Rest;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** workcell devices quarantine: the device takes no work until released (admin). */
@Command(
        name = "quarantine",
        description = "Keep a device from work until it is released or the end time comes (admin).")
public class DeviceQuarantineCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "DEVICE", description = "The device: its id or serial (`workcell devices` shows both).")
    String id;

    @Option(
            names = "--note",
            required = true,
            paramLabel = "TEXT",
            description = "Why, for the audit and the other admins.")
    String note;

    @Option(
            names = "--until",
            paramLabel = "WHEN",
            converter = EndTimeConverter.class,
            description = "Release by itself then: a date-time (2030-01-01T12:00:00Z) or a duration from now (2h, 1d).")
    OffsetDateTime until;

    @Override
    public Integer call() {
        JsonObject body = new JsonObject();
        body.addProperty("note", note);
        if (until != null) {
            body.addProperty("until", until.toString());
        }
        JsonElement quarantine;
        try (ControlPlane controlPlane = connection.open()) {
            quarantine = controlPlane.rest().post("/devices/" + Rest.encoded(id) + "/quarantine", body);
        }
        output.print(
                System.out,
                quarantine,
                List.of(quarantine),
                out -> out.println("quarantined " + Json.text(quarantine, "device")
                        + (until == null ? "" : " until " + Json.text(quarantine, "until"))));
        return 0;
    }
}
