package dev.workcell.agent.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.workcell.agent.testing.LogLines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

        assertEquals(
                List.of("37211FDJH008K2 Pixel 8 ONLINE ok", "emulator-5554 sdk_gphone64_x86_64 ONLINE ok"),
                lines(found));
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

        assertEquals(
                List.of("37211FDJH008K2 Pixel 8 OFFLINE adb devices failed: adb: cannot connect to daemon"),
                lines(discovery.scan()));
        adb.serverUp();
        assertEquals(List.of("37211FDJH008K2 Pixel 8 ONLINE ok"), lines(discovery.scan()));
    }

    @Test
    void shouldFindNothingWithoutAdb() {
        AndroidDiscovery missing =
                new AndroidDiscovery(dir.resolve("no-such-adb").toString(), TIMEOUT);

        assertEquals(List.of(), missing.scan());
    }

    @Test
    void shouldLookAdbUpOnThePath() {
        assertEquals(adb.executable(), Adb.locate("adb", "/nonexistent:" + dir).orElseThrow());
        assertEquals(Optional.empty(), Adb.locate("adb", "/nonexistent"));
    }

    @Test
    void shouldSayOnceThatTheConfiguredAdbIsMissingAndOnceThatItIsFound() throws Exception {
        Path configured = dir.resolve("platform-tools").resolve("adb");
        AndroidDiscovery later = new AndroidDiscovery(configured.toString(), TIMEOUT);
        try (LogLines log = LogLines.of("dev.workcell.agent.device")) {
            later.scan();
            later.scan();
            FakeAdb.install(configured.getParent());
            later.scan();
            later.scan();

            assertEquals(
                    List.of(
                            "WARN Android devices: no adb at " + configured
                                    + ": no such file (workcell.agent.discovery.adb);" + " looking again at every scan",
                            "INFO Android devices: found adb at " + configured),
                    log.containing("Android devices"));
        }
    }

    @Test
    void shouldNotTakeADirectoryForAdb() {
        try (LogLines log = LogLines.of("dev.workcell.agent.device")) {
            assertEquals(List.of(), new AndroidDiscovery(dir.toString(), TIMEOUT).scan());

            assertEquals(
                    List.of("WARN Android devices: no adb at " + dir
                            + ": it is a directory (workcell.agent.discovery.adb);" + " looking again at every scan"),
                    log.containing("Android devices"));
        }
        assertEquals(Optional.empty(), Adb.locate(dir.toString(), ""));
    }

    @Test
    void shouldWarnOnceWhileAdbFailsAndSayWhenItWorksAgain() {
        adb.plug(FakeAdb.PIXEL);
        try (LogLines log = LogLines.of("dev.workcell.agent.device")) {
            discovery.scan();
            adb.serverDown();
            discovery.scan();
            discovery.scan();
            discovery.scan();
            adb.serverUp();
            discovery.scan();
            discovery.scan();

            assertEquals(
                    List.of(
                            "INFO Android devices: found adb at " + adb.executable(),
                            "WARN Android devices: adb devices failed: adb: cannot connect to daemon; looking again at every scan",
                            "INFO Android devices: adb at " + adb.executable() + " works again"),
                    log.containing("Android devices"));
        }
    }

    @Test
    void shouldSayThatAdbWasNotFoundOnThePathByName() {
        assertEquals("no 'adb' on the PATH (workcell.agent.discovery.adb)", Adb.whyMissing("adb"));
    }

    private static List<String> lines(List<ObservedDevice> devices) {
        return devices.stream()
                .map(device -> device.serial() + " " + device.device().getName() + " " + device.state() + " "
                        + device.health())
                .toList();
    }
}
