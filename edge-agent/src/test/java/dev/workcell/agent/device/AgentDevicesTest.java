package dev.workcell.agent.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.workcell.proto.v1.Device;

class AgentDevicesTest {

    private static final Device HOST = Device.newBuilder().setName("bench").setSerial("bench").build();

    @Test
    void shouldServeTheHostAloneWhenNothingIsDeclared() {
        assertEquals(List.of(HOST), AgentDevices.of(HOST, List.of(), Optional.empty()).targets());
    }

    @Test
    void shouldServeDeclaredTargetsOnlyByDefault() {
        AgentDevices devices = AgentDevices.of(HOST, List.of("pixel-8=3A041FDJH0038N", " emulator-5554 "), Optional.empty());

        assertEquals(List.of(device("pixel-8", "3A041FDJH0038N"), device("emulator-5554", "emulator-5554")), devices.targets());
    }

    @Test
    void shouldServeTheHostFirstWhenForced() {
        AgentDevices devices = AgentDevices.of(HOST, List.of("pixel"), Optional.of(true));

        assertEquals(List.of(HOST, device("pixel", "pixel")), devices.targets());
    }

    @Test
    void shouldRefuseToServeNothing() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> AgentDevices.of(HOST, List.of(), Optional.of(false)));

        assertEquals("the agent has no target: no targets are declared and serve-host is false", error.getMessage());
    }

    @Test
    void shouldRefuseARepeatedSerialOrAMalformedTarget() {
        assertThrows(IllegalArgumentException.class, () -> AgentDevices.of(HOST, List.of("a=1", "b=1"), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> AgentDevices.of(HOST, List.of("=serial"), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> AgentDevices.of(HOST, List.of("bench"), Optional.of(true)));
    }

    private static Device device(String name, String serial) {
        return Device.newBuilder().setName(name).setSerial(serial).build();
    }
}
