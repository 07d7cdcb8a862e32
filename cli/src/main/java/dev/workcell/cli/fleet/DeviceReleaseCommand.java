package dev.workcell.cli.fleet;

import com.google.gson.JsonElement;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.connect.Rest;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** workcell devices release: a quarantined device takes work again (admin). */
@Command(name = "release", description = "End a device's quarantine: it takes its queued work at once (admin).")
public class DeviceReleaseCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "DEVICE", description = "The device: its id or serial (`workcell devices` shows both).")
    String id;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why, for the audit.")
    String note;

    @Override
    public Integer call() {
        String query = note == null ? "" : "?note=" + Rest.encoded(note);
        JsonElement released;
        try (ControlPlane controlPlane = connection.open()) {
            released = controlPlane.rest().delete("/devices/" + Rest.encoded(id) + "/quarantine" + query);
        }
        output.print(
                System.out,
                released,
                List.of(released),
                out -> out.println("released " + Json.text(released, "device")));
        return 0;
    }
}
