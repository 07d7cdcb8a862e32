package dev.workcell.agent.device;

import static dev.workcell.agent.device.AgentDevicesTest.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeclaredDevicesTest {

    @Test
    void shouldReadNamesAndSerials() {
        assertEquals(
                List.of(device("pixel-8", "3A041FDJH0038N"), device("emulator-5554", "emulator-5554")),
                DeclaredDevices.parse(List.of("pixel-8=3A041FDJH0038N", " emulator-5554 ", ""), "bench"));
    }

    @Test
    void shouldRefuseARepeatedSerialOrAMalformedTarget() {
        assertThrows(IllegalArgumentException.class, () -> DeclaredDevices.parse(List.of("a=1", "b=1"), "bench"));
        assertThrows(IllegalArgumentException.class, () -> DeclaredDevices.parse(List.of("=serial"), "bench"));
    }

    @Test
    void shouldRefuseTheHostsOwnSerial() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> DeclaredDevices.parse(List.of("bench"), "bench"));

        assertEquals("target serial 'bench' appears twice: it is the host's own serial", error.getMessage());
    }
}
