package dev.workcell.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.OsKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostDeviceTest {

    @Test
    void describesTheHostWithNameOsAndHardware() {
        Device host = HostDevice.describe("bench-7", Duration.ofSeconds(5));

        assertThat(host.getName()).isEqualTo("bench-7");
        assertThat(host.getSerial()).isEqualTo("bench-7");
        assertThat(host.getId()).isEqualTo("");
        assertThat(host.getOs().getKind()).isEqualTo(OsKind.LINUX);
        assertThat(host.getOs().getName().isBlank()).isFalse();
        assertThat(host.getOs().getVersion()).isEqualTo(System.getProperty("os.version"));
        assertThat(host.getHardware().getCores() > 0).isTrue();
        assertThat(host.getHardware().getMemoryBytes() > 0).isTrue();
        assertThat(host.getHardware().getCpu().isBlank()).isFalse();
        assertThat(host.getHardware().getAbis(0).isBlank()).isFalse();
        assertThat(host.getLabelsOrThrow("arch")).isEqualTo(host.getHardware().getAbis(0));
    }

    @Test
    void knowsTheMachinesName() {
        assertThat(HostDevice.machineName().isBlank()).isFalse();
    }
}
