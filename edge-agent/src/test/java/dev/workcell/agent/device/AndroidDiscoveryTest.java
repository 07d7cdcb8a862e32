package dev.workcell.agent.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.workcell.proto.v1.DeviceState;

class AndroidDiscoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private FakeAdb adb;
    private AndroidDiscovery discovery;

    @BeforeEach
    void installAdb() {
        adb = FakeAdb.install(dir);
        discovery = new AndroidDiscovery(adb.executable().toString(), TIMEOUT);
    }

    @Test
    void shouldFindTheReadyDevicesOnlineAndDescribed() {
        adb.plug(FakeAdb.PIXEL, FakeAdb.EMULATOR);

        List<ObservedDevice> found = discovery.scan();

        assertEquals(List.of("37211FDJH008K2 Pixel 8 ONLINE ok", "emulator-5554 sdk_gphone64_x86_64 ONLINE ok"), lines(found));
        assertEquals(34, found.get(0).device().getOs().getApiLevel());
    }

    @Test
    void shouldReportAnUnauthorizedDeviceOfflineWithItsState() {
        adb.plug(FakeAdb.UNAUTHORIZED);

        assertEquals(List.of("R5CT21ABCDE R5CT21ABCDE OFFLINE adb: unauthorized"), lines(discovery.scan()));
    }

    @Test
    void shouldForgetAnUnpluggedDeviceAndDescribeItTheSameWhenItComesBack() {
        adb.plug(FakeAdb.PIXEL);
        ObservedDevice before = discovery.scan().get(0);

        adb.plug();
        assertEquals(List.of(), discovery.scan());
        adb.plug(FakeAdb.PIXEL);

        assertEquals(before, discovery.scan().get(0));
    }

    @Test
    void shouldKeepTheDevicesOfflineWhileAdbFails() {
        adb.plug(FakeAdb.PIXEL);
        discovery.scan();

        adb.serverDown();

        assertEquals(List.of("37211FDJH008K2 Pixel 8 OFFLINE adb devices failed: adb: cannot connect to daemon"),
                lines(discovery.scan()));
        adb.serverUp();
        assertEquals(List.of("37211FDJH008K2 Pixel 8 ONLINE ok"), lines(discovery.scan()));
    }

    @Test
    void shouldFindNothingWithoutAdb() {
        AndroidDiscovery missing = new AndroidDiscovery(dir.resolve("no-such-adb").toString(), TIMEOUT);

        assertEquals(List.of(), missing.scan());
    }

    @Test
    void shouldLookAdbUpOnThePath() {
        assertEquals(adb.executable(), Adb.locate("adb", "/nonexistent:" + dir).orElseThrow());
        assertEquals(Optional.empty(), Adb.locate("adb", "/nonexistent"));
    }

    private static List<String> lines(List<ObservedDevice> devices) {
        return devices.stream()
                .map(device -> device.serial() + " " + device.device().getName() + " " + device.state() + " " + device.health())
                .toList();
    }
}
