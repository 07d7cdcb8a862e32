package dev.workcell.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.DeviceState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentDevicesTest {

    private static final Device HOST = device("bench", "bench");
    private static final ObservedDevice PIXEL = ObservedDevice.online(device("Pixel 8", "3A041FDJH0038N"));
    private static final ObservedDevice UNAUTHORIZED =
            ObservedDevice.offline(device("R5CT21ABCDE", "R5CT21ABCDE"), "adb: unauthorized");

    @Test
    void servesTheHostAloneWhenNothingIsDeclaredOrFound() {
        assertThat(AgentDevices.of(HOST, Optional.empty(), List.of(), List.of()).targets())
                .isEqualTo(List.of(HOST));
    }

    @Test
    void servesDeclaredTargetsOnlyByDefault() {
        List<Device> declared = List.of(device("pixel-8", "3A041FDJH0038N"), device("emulator-5554", "emulator-5554"));

        assertThat(AgentDevices.of(HOST, Optional.empty(), declared, List.of()).targets())
                .isEqualTo(declared);
    }

    @Test
    void servesFoundDevicesInsteadOfTheHostByDefault() {
        AgentDevices devices = AgentDevices.of(HOST, Optional.empty(), List.of(), List.of(PIXEL, UNAUTHORIZED));

        assertThat(devices.observed()).isEqualTo(List.of(PIXEL, UNAUTHORIZED));
    }

    @Test
    void servesTheHostByDefaultBesideFoundDevicesThatCannotTakeWork() {
        ObservedDevice offline = ObservedDevice.offline(device("emulator-5556", "emulator-5556"), "adb: offline");

        AgentDevices devices = AgentDevices.of(HOST, Optional.empty(), List.of(), List.of(UNAUTHORIZED, offline));

        assertThat(devices.observed()).isEqualTo(List.of(ObservedDevice.online(HOST), UNAUTHORIZED, offline));
    }

    @Test
    void servesTheHostFirstWhenForced() {
        AgentDevices devices = AgentDevices.of(HOST, Optional.of(true), List.of(device("rig", "rig")), List.of(PIXEL));

        assertThat(devices.targets()).isEqualTo(List.of(HOST, device("rig", "rig"), PIXEL.device()));
    }

    @Test
    void letsAdbDescribeADeclaredDeviceUnderItsDeclaredName() {
        AgentDevices devices = AgentDevices.of(
                HOST,
                Optional.empty(),
                List.of(device("pixel-8", "3A041FDJH0038N")),
                List.of(ObservedDevice.offline(PIXEL.device(), "adb: offline")));

        assertThat(devices.observed())
                .isEqualTo(List.of(ObservedDevice.offline(
                        PIXEL.device().toBuilder().setName("pixel-8").build(), "adb: offline")));
    }

    @Test
    void tellsWhyWorkCannotGoOnOnADevice() {
        AgentDevices devices = AgentDevices.of(HOST, Optional.empty(), List.of(), List.of(PIXEL, UNAUTHORIZED));

        assertThat(devices.unavailable("bench")).isEqualTo(Optional.empty());
        assertThat(devices.unavailable(PIXEL.serial())).isEqualTo(Optional.empty());
        assertThat(devices.unavailable(UNAUTHORIZED.serial()))
                .isEqualTo(Optional.of("it is offline: adb: unauthorized"));
        assertThat(devices.unavailable("emulator-5554")).isEqualTo(Optional.of("it is no longer attached"));
    }

    @Test
    void reportsEveryTargetsStatus() {
        AgentDevices devices = AgentDevices.of(HOST, Optional.of(true), List.of(), List.of(UNAUTHORIZED));

        assertThat(devices.statuses().stream().map(status -> status.getState()).toList())
                .isEqualTo(List.of(DeviceState.ONLINE, DeviceState.OFFLINE));
        assertThat(devices.statuses().stream().map(status -> status.getHealth()).toList())
                .isEqualTo(List.of("ok", "adb: unauthorized"));
    }

    static Device device(String name, String serial) {
        return Device.newBuilder().setName(name).setSerial(serial).build();
    }
}
