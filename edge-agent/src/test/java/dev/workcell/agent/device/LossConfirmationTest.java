package dev.workcell.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LossConfirmationTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final ObservedDevice PIXEL =
            ObservedDevice.online(AgentDevicesTest.device("Pixel 8", "37211FDJH008K2"));
    private static final ObservedDevice PIXEL_OFFLINE = ObservedDevice.offline(PIXEL.device(), "adb: offline");
    private static final ObservedDevice EMULATOR =
            ObservedDevice.online(AgentDevicesTest.device("emulator", "emulator-5554"));

    private final LossConfirmation losses = new LossConfirmation(Duration.ofSeconds(3));

    @Test
    void reportsADeviceListedOfflineForAMomentAsItWas() {
        losses.confirm(List.of(PIXEL, EMULATOR), 0);

        assertThat(losses.confirm(List.of(PIXEL_OFFLINE, EMULATOR), SECOND)).isEqualTo(List.of(PIXEL, EMULATOR));
        assertThat(losses.recheckAfter()).isEqualTo(Optional.of(Duration.ofSeconds(3)));
        assertThat(losses.confirm(List.of(PIXEL, EMULATOR), 2 * SECOND)).isEqualTo(List.of(PIXEL, EMULATOR));
        assertThat(losses.recheckAfter()).isEqualTo(Optional.empty());
    }

    @Test
    void reportsALossThatLastedTheWindow() {
        losses.confirm(List.of(PIXEL, EMULATOR), 0);

        assertThat(losses.confirm(List.of(EMULATOR), SECOND)).isEqualTo(List.of(EMULATOR, PIXEL));
        assertThat(losses.confirm(List.of(PIXEL_OFFLINE, EMULATOR), 3 * SECOND)).isEqualTo(List.of(PIXEL, EMULATOR));
        assertThat(losses.confirm(List.of(PIXEL_OFFLINE, EMULATOR), 4 * SECOND))
                .isEqualTo(List.of(PIXEL_OFFLINE, EMULATOR));
        assertThat(losses.confirm(List.of(EMULATOR), 5 * SECOND)).isEqualTo(List.of(EMULATOR));
    }

    @Test
    void holdsBackOnlyTheLossOfADeviceThatWasReady() {
        assertThat(losses.confirm(List.of(PIXEL_OFFLINE), 0)).isEqualTo(List.of(PIXEL_OFFLINE));

        assertThat(losses.confirm(List.of(), SECOND)).isEqualTo(List.of());
        assertThat(losses.recheckAfter()).isEqualTo(Optional.empty());
    }

    @Test
    void startsTheWindowAgainForALaterLoss() {
        losses.confirm(List.of(PIXEL), 0);
        losses.confirm(List.of(PIXEL_OFFLINE), SECOND);
        losses.confirm(List.of(PIXEL), 2 * SECOND);

        assertThat(losses.confirm(List.of(PIXEL_OFFLINE), 10 * SECOND)).isEqualTo(List.of(PIXEL));
        assertThat(losses.confirm(List.of(PIXEL_OFFLINE), 13 * SECOND)).isEqualTo(List.of(PIXEL_OFFLINE));
    }
}
