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

/** workcell devices: every device the farm has seen, with the dimensions a submit by dimensions matches. */
@Command(name = "devices", description = "Every device the farm has seen; `devices approve ID` lets a new one get work,"
        + " `devices quarantine ID --note ...` keeps one from work until `devices release ID` (admin).",
        subcommands = {DeviceApproveCommand.class, DeviceQuarantineCommand.class, DeviceReleaseCommand.class,
                DeviceLabelCommand.class})
public class DevicesCommand implements Callable<Integer> {

    /** Dimensions the other columns already show. */
    private static final java.util.Set<String> SHOWN = java.util.Set.of("id", "serial", "name");

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
            Table table = new Table("NAME", "SERIAL", "OS", "PRODUCT", "APPROVED", "QUARANTINED", "DIMENSIONS", "ID");
            for (Device device : devices.getDevicesList()) {
                table.row(device.getName(), device.getSerial(), (device.getOs().getName() + " " + device.getOs().getVersion()).trim(),
                        device.getHardware().getProduct(), device.getApproved() ? "yes" : "no",
                        device.getQuarantined() ? "yes" : "no", dimensions(device), device.getId());
            }
            table.print(out);
        });
        return 0;
    }

    /** The dimensions a submit can ask for, but those the other columns show: key=value, values of one key joined by |. */
    static String dimensions(Device device) {
        return device.getDimensionsList().stream()
                .filter(dimension -> !SHOWN.contains(dimension.getKey()))
                .map(dimension -> dimension.getKey() + "=" + String.join("|", dimension.getValuesList()))
                .collect(Collectors.joining(","));
    }
}
