package dev.workcell.cli.fleet;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Table;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.ListDevicesRequest;
import dev.workcell.proto.v1.ListDevicesResponse;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** workcell devices: every device the farm has seen. */
@Command(name = "devices", description = "Every device the farm has seen; `devices approve ID` lets a new one get work,"
        + " `devices quarantine ID --note ...` keeps one from work until `devices release ID` (admin).",
        subcommands = {DeviceApproveCommand.class, DeviceQuarantineCommand.class, DeviceReleaseCommand.class})
public class DevicesCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ListDevicesResponse devices;
        try (ControlPlane controlPlane = connection.open()) {
            devices = controlPlane.actions().listDevices(ListDevicesRequest.getDefaultInstance());
        }
        output.print(System.out, Json.tree(devices), devices.getDevicesList().stream().map(Json::tree).toList(), out -> {
            Table table = new Table("NAME", "SERIAL", "OS", "PRODUCT", "APPROVED", "QUARANTINED", "LABELS", "ID");
            for (Device device : devices.getDevicesList()) {
                String labels = device.getLabelsMap().entrySet().stream().map(label -> label.getKey() + "=" + label.getValue())
                        .sorted().collect(Collectors.joining(","));
                table.row(device.getName(), device.getSerial(), (device.getOs().getName() + " " + device.getOs().getVersion()).trim(),
                        device.getHardware().getProduct(), device.getApproved() ? "yes" : "no",
                        device.getQuarantined() ? "yes" : "no", labels, device.getId());
            }
            table.print(out);
        });
        return 0;
    }
}
