package dev.workcell.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

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
    void describesAPhoneFromItsProperties() {
        Device pixel = AndroidDevice.described(listing.get(0), properties(FakeAdb.PIXEL));

        assertThat(pixel)
                .isEqualTo(Device.newBuilder()
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
                        .build());
    }

    @Test
    void describesAnEmulatorWithItsAbisPreferredFirst() {
        Device emulator = AndroidDevice.described(listing.get(1), properties(FakeAdb.EMULATOR));

        assertThat(emulator.getSerial()).isEqualTo(FakeAdb.EMULATOR);
        assertThat(emulator.getName()).isEqualTo("sdk_gphone64_x86_64");
        assertThat(emulator.getHardware().getAbisList()).isEqualTo(List.of("x86_64", "arm64-v8a"));
        assertThat(emulator.getHardware().getCpu()).isEqualTo("AOSP ranchu");
        assertThat(emulator.getLabelsMap())
                .isEqualTo(Map.of(
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
                        "1"));
    }

    @Test
    void namesADeviceItCannotQueryByItsListing() {
        assertThat(AndroidDevice.listed(listing.get(0)).getName()).isEqualTo("Pixel 8");
        Device unauthorized = AndroidDevice.listed(listing.get(2));
        assertThat(unauthorized.getName()).isEqualTo(FakeAdb.UNAUTHORIZED);
        assertThat(unauthorized.getOs().getKind()).isEqualTo(OsKind.ANDROID);
    }

    private static Map<String, String> properties(String serial) {
        return GetProp.parse(FakeAdb.recording("getprop-" + serial + ".txt"));
    }
}
