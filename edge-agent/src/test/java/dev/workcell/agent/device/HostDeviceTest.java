package dev.workcell.agent.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.OsKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostDeviceTest {

    @Test
    void shouldDescribeTheHostWithNameOsAndHardware() {
        Device host = HostDevice.describe("bench-7", Duration.ofSeconds(5));

        assertEquals("bench-7", host.getName());
        assertEquals("bench-7", host.getSerial());
        assertEquals("", host.getId());
        assertEquals(OsKind.LINUX, host.getOs().getKind());
        assertFalse(host.getOs().getName().isBlank());
        assertEquals(System.getProperty("os.version"), host.getOs().getVersion());
        assertTrue(host.getHardware().getCores() > 0);
        assertTrue(host.getHardware().getMemoryBytes() > 0);
        assertFalse(host.getHardware().getCpu().isBlank());
        assertFalse(host.getHardware().getAbis(0).isBlank());
        assertEquals(host.getHardware().getAbis(0), host.getLabelsOrThrow("arch"));
    }

    @Test
    void shouldKnowTheMachinesName() {
        assertFalse(HostDevice.machineName().isBlank());
    }
}
