package dev.workcell.agent.device;

import static dev.workcell.agent.device.AgentDevicesTest.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeclaredDevicesTest {

    @Test
    void readsNamesAndSerials() {
        assertThat(DeclaredDevices.parse(List.of("pixel-8=3A041FDJH0038N", " emulator-5554 ", ""), "bench"))
                .isEqualTo(List.of(device("pixel-8", "3A041FDJH0038N"), device("emulator-5554", "emulator-5554")));
    }

    @Test
    void refusesARepeatedSerialOrAMalformedTarget() {
        assertThatThrownBy(() -> DeclaredDevices.parse(List.of("a=1", "b=1"), "bench"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeclaredDevices.parse(List.of("=serial"), "bench"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesTheHostsOwnSerial() {
        IllegalArgumentException error = catchThrowableOfType(
                IllegalArgumentException.class, () -> DeclaredDevices.parse(List.of("bench"), "bench"));

        assertThat(error.getMessage()).isEqualTo("target serial 'bench' appears twice: it is the host's own serial");
    }
}
