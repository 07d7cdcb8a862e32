package dev.workcell.agent.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Hardware;
import dev.workcell.proto.v1.Os;
import dev.workcell.proto.v1.OsKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AndroidDeviceTest {

    private final List<AdbEntry> listing = AdbEntry.parse(FakeAdb.recording("devices-l.txt"));

    @Test
    void shouldDescribeAPhoneFromItsProperties() {
        Device pixel = AndroidDevice.described(listing.get(0), properties(FakeAdb.PIXEL));

        assertEquals(
                Device.newBuilder()
                        .setSerial(FakeAdb.PIXEL)
                        .setName("Pixel 8")
                        .setOs(Os.newBuilder()
                                .setKind(OsKind.ANDROID)
                                .setName("Android 14")
                                .setVersion("14")
                                .setApiLevel(34))
                        .setHardware(Hardware.newBuilder()
                                .setProduct("Pixel 8")
                                .setCpu("Google Tensor G3")
                                .addAbis("arm64-v8a"))
                        .putAllLabels(Map.of(
                                "manufacturer",
                                "Google",
                                "gpu",
                                "mali",
                                "vulkan",
                                "mali",
                                "platform",
                                "zuma",
                                "build",
                                "UQ1A.240205.004"))
                        .build(),
                pixel);
    }

    @Test
    void shouldDescribeAnEmulatorWithItsAbisPreferredFirst() {
        Device emulator = AndroidDevice.described(listing.get(1), properties(FakeAdb.EMULATOR));

        assertEquals(FakeAdb.EMULATOR, emulator.getSerial());
        assertEquals("sdk_gphone64_x86_64", emulator.getName());
        assertEquals(List.of("x86_64", "arm64-v8a"), emulator.getHardware().getAbisList());
        assertEquals("AOSP ranchu", emulator.getHardware().getCpu());
        assertEquals(
                Map.of(
                        "manufacturer",
                        "Google",
                        "gpu",
                        "emulation",
                        "vulkan",
                        "ranchu",
                        "platform",
                        "ranchu",
                        "build",
                        "UE1A.230829.036.A1",
                        "emulator",
                        "1"),
                emulator.getLabelsMap());
    }

    @Test
    void shouldNameADeviceItCannotQueryByItsListing() {
        assertEquals("Pixel 8", AndroidDevice.listed(listing.get(0)).getName());
        Device unauthorized = AndroidDevice.listed(listing.get(2));
        assertEquals(FakeAdb.UNAUTHORIZED, unauthorized.getName());
        assertEquals(OsKind.ANDROID, unauthorized.getOs().getKind());
    }

    private static Map<String, String> properties(String serial) {
        return GetProp.parse(FakeAdb.recording("getprop-" + serial + ".txt"));
    }
}
