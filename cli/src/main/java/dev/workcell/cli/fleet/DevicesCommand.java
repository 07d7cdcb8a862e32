package dev.workcell.cli.fleet;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Listing;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.ListDevicesRequest;
import dev.workcell.proto.v1.ListDevicesResponse;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** workcell devices: every device the farm has seen, with the dimensions a submit by dimensions matches. */
@Command(
        name = "devices",
        description = "Every device the farm has seen; `devices approve ID` lets a new one get work,"
                + " `devices quarantine ID --note ...` keeps one from work until `devices release ID` (admin).",
        subcommands = {
            DeviceApproveCommand.class,
            DeviceQuarantineCommand.class,
            DeviceReleaseCommand.class,
            DeviceLabelCommand.class
        })
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
        Listing.of(devices, devices.getDevicesList())
                .column("NAME", Device::getName)
                .column("SERIAL", Device::getSerial)
                .column(
                        "OS",
                        device ->
                                (device.getOs().getName() + " " + device.getOs().getVersion()).trim())
                .column("PRODUCT", device -> device.getHardware().getProduct())
                .column("APPROVED", device -> device.getApproved() ? "yes" : "no")
                .column("QUARANTINED", device -> device.getQuarantined() ? "yes" : "no")
                .column("DIMENSIONS", DevicesCommand::dimensions)
                .column("ID", Device::getId)
                .print(output, System.out);
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
