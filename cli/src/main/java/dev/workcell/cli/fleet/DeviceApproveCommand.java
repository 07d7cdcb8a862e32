package dev.workcell.cli.fleet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.connect.Rest;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** workcell devices approve: a new device may get work (admin; when the control plane requires approval). */
@Command(name = "approve", description = "Let a new device get work (admin; WORKCELL_DEVICES_REQUIRE_APPROVAL).")
public class DeviceApproveCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "DEVICE", description = "The device: its id or serial (`workcell devices` shows both).")
    String id;

    @Override
    public Integer call() {
        JsonElement device;
        try (ControlPlane controlPlane = connection.open()) {
            device = controlPlane.rest().post("/devices/" + Rest.encoded(id) + "/approve", new JsonObject());
        }
        output.print(
                System.out,
                device,
                List.of(device),
                out -> out.println("approved " + Json.text(device, "name") + " (" + Json.text(device, "id") + ")"));
        return 0;
    }
}
