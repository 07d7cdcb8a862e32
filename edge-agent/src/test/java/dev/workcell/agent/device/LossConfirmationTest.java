package dev.workcell.agent.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void shouldReportADeviceListedOfflineForAMomentAsItWas() {
        losses.confirm(List.of(PIXEL, EMULATOR), 0);

        assertEquals(List.of(PIXEL, EMULATOR), losses.confirm(List.of(PIXEL_OFFLINE, EMULATOR), SECOND));
        assertEquals(Optional.of(Duration.ofSeconds(3)), losses.recheckAfter());
        assertEquals(List.of(PIXEL, EMULATOR), losses.confirm(List.of(PIXEL, EMULATOR), 2 * SECOND));
        assertEquals(Optional.empty(), losses.recheckAfter());
    }

    @Test
    void shouldReportALossThatLastedTheWindow() {
        losses.confirm(List.of(PIXEL, EMULATOR), 0);

        assertEquals(List.of(EMULATOR, PIXEL), losses.confirm(List.of(EMULATOR), SECOND));
        assertEquals(List.of(PIXEL, EMULATOR), losses.confirm(List.of(PIXEL_OFFLINE, EMULATOR), 3 * SECOND));
        assertEquals(List.of(PIXEL_OFFLINE, EMULATOR), losses.confirm(List.of(PIXEL_OFFLINE, EMULATOR), 4 * SECOND));
        assertEquals(List.of(EMULATOR), losses.confirm(List.of(EMULATOR), 5 * SECOND));
    }

    @Test
    void shouldHoldBackOnlyTheLossOfADeviceThatWasReady() {
        assertEquals(List.of(PIXEL_OFFLINE), losses.confirm(List.of(PIXEL_OFFLINE), 0));

        assertEquals(List.of(), losses.confirm(List.of(), SECOND));
        assertEquals(Optional.empty(), losses.recheckAfter());
    }

    @Test
    void shouldStartTheWindowAgainForALaterLoss() {
        losses.confirm(List.of(PIXEL), 0);
        losses.confirm(List.of(PIXEL_OFFLINE), SECOND);
        losses.confirm(List.of(PIXEL), 2 * SECOND);

        assertEquals(List.of(PIXEL), losses.confirm(List.of(PIXEL_OFFLINE), 10 * SECOND));
        assertEquals(List.of(PIXEL_OFFLINE), losses.confirm(List.of(PIXEL_OFFLINE), 13 * SECOND));
    }
}
