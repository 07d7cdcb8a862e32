package dev.workcell.agent.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void shouldServeTheHostAloneWhenNothingIsDeclaredOrFound() {
        assertEquals(
                List.of(HOST),
                AgentDevices.of(HOST, Optional.empty(), List.of(), List.of()).targets());
    }

    @Test
    void shouldServeDeclaredTargetsOnlyByDefault() {
        List<Device> declared = List.of(device("pixel-8", "3A041FDJH0038N"), device("emulator-5554", "emulator-5554"));

        assertEquals(
                declared,
                AgentDevices.of(HOST, Optional.empty(), declared, List.of()).targets());
    }

    @Test
    void shouldServeFoundDevicesInsteadOfTheHostByDefault() {
        AgentDevices devices = AgentDevices.of(HOST, Optional.empty(), List.of(), List.of(PIXEL, UNAUTHORIZED));

        assertEquals(List.of(PIXEL, UNAUTHORIZED), devices.observed());
    }

    @Test
    void shouldServeTheHostByDefaultBesideFoundDevicesThatCannotTakeWork() {
        ObservedDevice offline = ObservedDevice.offline(device("emulator-5556", "emulator-5556"), "adb: offline");

        AgentDevices devices = AgentDevices.of(HOST, Optional.empty(), List.of(), List.of(UNAUTHORIZED, offline));

        assertEquals(List.of(ObservedDevice.online(HOST), UNAUTHORIZED, offline), devices.observed());
    }

    @Test
    void shouldServeTheHostFirstWhenForced() {
        AgentDevices devices = AgentDevices.of(HOST, Optional.of(true), List.of(device("rig", "rig")), List.of(PIXEL));

        assertEquals(List.of(HOST, device("rig", "rig"), PIXEL.device()), devices.targets());
    }

    @Test
    void shouldLetAdbDescribeADeclaredDeviceUnderItsDeclaredName() {
        AgentDevices devices = AgentDevices.of(
                HOST,
                Optional.empty(),
                List.of(device("pixel-8", "3A041FDJH0038N")),
                List.of(ObservedDevice.offline(PIXEL.device(), "adb: offline")));

        assertEquals(
                List.of(ObservedDevice.offline(
                        PIXEL.device().toBuilder().setName("pixel-8").build(), "adb: offline")),
                devices.observed());
    }

    @Test
    void shouldTellWhyWorkCannotGoOnOnADevice() {
        AgentDevices devices = AgentDevices.of(HOST, Optional.empty(), List.of(), List.of(PIXEL, UNAUTHORIZED));

        assertEquals(Optional.empty(), devices.unavailable("bench"));
        assertEquals(Optional.empty(), devices.unavailable(PIXEL.serial()));
        assertEquals(Optional.of("it is offline: adb: unauthorized"), devices.unavailable(UNAUTHORIZED.serial()));
        assertEquals(Optional.of("it is no longer attached"), devices.unavailable("emulator-5554"));
    }

    @Test
    void shouldReportEveryTargetsStatus() {
        AgentDevices devices = AgentDevices.of(HOST, Optional.of(true), List.of(), List.of(UNAUTHORIZED));

        assertEquals(
                List.of(DeviceState.ONLINE, DeviceState.OFFLINE),
                devices.statuses().stream().map(status -> status.getState()).toList());
        assertEquals(
                List.of("ok", "adb: unauthorized"),
                devices.statuses().stream().map(status -> status.getHealth()).toList());
    }

    static Device device(String name, String serial) {
        return Device.newBuilder().setName(name).setSerial(serial).build();
    }
}
