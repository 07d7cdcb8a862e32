package dev.workcell.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdbEntryTest {

    @Test
    void readsEachDeviceLineOfARecordedListing() {
        List<AdbEntry> entries = AdbEntry.parse(FakeAdb.recording("devices-l.txt"));

        assertThat(entries)
                .isEqualTo(List.of(
                        new AdbEntry(
                                FakeAdb.PIXEL,
                                "device",
                                Map.of(
                                        "usb",
                                        "3-2",
                                        "product",
                                        "shiba",
                                        "model",
                                        "Pixel_8",
                                        "device",
                                        "shiba",
                                        "transport_id",
                                        "4")),
                        new AdbEntry(
                                FakeAdb.EMULATOR,
                                "device",
                                Map.of(
                                        "product",
                                        "sdk_gphone64_x86_64",
                                        "model",
                                        "sdk_gphone64_x86_64",
                                        "device",
                                        "emu64xa",
                                        "transport_id",
                                        "1")),
                        new AdbEntry(FakeAdb.UNAUTHORIZED, "unauthorized", Map.of("usb", "3-1", "transport_id", "5"))));
        assertThat(entries.get(0).ready()).isTrue();
        assertThat(entries.get(2).ready()).isFalse();
    }

    @Test
    void skipsDaemonMessagesAndKeepsAStateWithSpaces() {
        List<AdbEntry> entries = AdbEntry.parse(List.of(
                "* daemon not running; starting now at tcp:5037",
                "* daemon started successfully",
                "List of devices attached",
                "0123456789ABCDEF       no permissions (missing udev rules? user is in the plugdev group); "
                        + "see [http://developer.android.com/tools/device.html] usb:1-1.4 transport_id:2",
                "emulator-5556          offline transport_id:3",
                ""));

        assertThat(entries)
                .isEqualTo(List.of(
                        new AdbEntry(
                                "0123456789ABCDEF",
                                "no permissions (missing udev rules? user is in the plugdev group); "
                                        + "see [http://developer.android.com/tools/device.html]",
                                Map.of("usb", "1-1.4", "transport_id", "2")),
                        new AdbEntry("emulator-5556", "offline", Map.of("transport_id", "3"))));
    }

    @Test
    void findsNoDeviceInAnEmptyListing() {
        assertThat(AdbEntry.parse(List.of("List of devices attached", ""))).isEqualTo(List.of());
    }
}
