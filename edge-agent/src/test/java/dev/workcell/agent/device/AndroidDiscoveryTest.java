package dev.workcell.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

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
    void findsTheReadyDevicesOnlineAndDescribed() {
        adb.plug(FakeAdb.PIXEL, FakeAdb.EMULATOR);

        List<ObservedDevice> found = discovery.scan();

        assertThat(lines(found))
                .isEqualTo(List.of("37211FDJH008K2 Pixel 8 ONLINE ok", "emulator-5554 sdk_gphone64_x86_64 ONLINE ok"));
        assertThat(found.get(0).device().getOs().getApiLevel()).isEqualTo(34);
    }

    @Test
    void reportsAnUnauthorizedDeviceOfflineWithItsState() {
        adb.plug(FakeAdb.UNAUTHORIZED);

        assertThat(lines(discovery.scan())).isEqualTo(List.of("R5CT21ABCDE R5CT21ABCDE OFFLINE adb: unauthorized"));
    }

    @Test
    void forgetsAnUnpluggedDeviceAndDescribesItTheSameWhenItComesBack() {
        adb.plug(FakeAdb.PIXEL);
        ObservedDevice before = discovery.scan().get(0);

        adb.plug();
        assertThat(discovery.scan()).isEqualTo(List.of());
        adb.plug(FakeAdb.PIXEL);

        assertThat(discovery.scan().get(0)).isEqualTo(before);
    }

    @Test
    void keepsTheDevicesOfflineWhileAdbFails() {
        adb.plug(FakeAdb.PIXEL);
        discovery.scan();

        adb.serverDown();

        assertThat(lines(discovery.scan()))
                .isEqualTo(List.of("37211FDJH008K2 Pixel 8 OFFLINE adb devices failed: adb: cannot connect to daemon"));
        adb.serverUp();
        assertThat(lines(discovery.scan())).isEqualTo(List.of("37211FDJH008K2 Pixel 8 ONLINE ok"));
    }

    @Test
    void findsNothingWithoutAdb() {
        AndroidDiscovery missing =
                new AndroidDiscovery(dir.resolve("no-such-adb").toString(), TIMEOUT);

        assertThat(missing.scan()).isEqualTo(List.of());
    }

    @Test
    void looksAdbUpOnThePath() {
        assertThat(Adb.locate("adb", "/nonexistent:" + dir).orElseThrow()).isEqualTo(adb.executable());
        assertThat(Adb.locate("adb", "/nonexistent")).isEqualTo(Optional.empty());
    }

    @Test
    void saysOnceThatTheConfiguredAdbIsMissingAndOnceThatItIsFound() throws Exception {
        Path configured = dir.resolve("platform-tools").resolve("adb");
        AndroidDiscovery later = new AndroidDiscovery(configured.toString(), TIMEOUT);
        try (LogLines log = LogLines.of("dev.workcell.agent.device")) {
            later.scan();
            later.scan();
            FakeAdb.install(configured.getParent());
            later.scan();
            later.scan();

            assertThat(log.containing("Android devices"))
                    .isEqualTo(List.of(
                            "WARN Android devices: no adb at " + configured
                                    + ": no such file (workcell.agent.discovery.adb);" + " looking again at every scan",
                            "INFO Android devices: found adb at " + configured));
        }
    }

    @Test
    void doesNotTakeADirectoryForAdb() {
        try (LogLines log = LogLines.of("dev.workcell.agent.device")) {
            assertThat(new AndroidDiscovery(dir.toString(), TIMEOUT).scan()).isEqualTo(List.of());

            assertThat(log.containing("Android devices"))
                    .isEqualTo(List.of("WARN Android devices: no adb at " + dir
                            + ": it is a directory (workcell.agent.discovery.adb);" + " looking again at every scan"));
        }
        assertThat(Adb.locate(dir.toString(), "")).isEqualTo(Optional.empty());
    }

    @Test
    void warnsOnceWhileAdbFailsAndSaysWhenItWorksAgain() {
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

            assertThat(log.containing("Android devices"))
                    .isEqualTo(List.of(
                            "INFO Android devices: found adb at " + adb.executable(),
                            "WARN Android devices: adb devices failed: adb: cannot connect to daemon; looking again at every scan",
                            "INFO Android devices: adb at " + adb.executable() + " works again"));
        }
    }

    @Test
    void saysThatAdbWasNotFoundOnThePathByName() {
        assertThat(Adb.whyMissing("adb")).isEqualTo("no 'adb' on the PATH (workcell.agent.discovery.adb)");
    }

    private static List<String> lines(List<ObservedDevice> devices) {
        return devices.stream()
                .map(device -> device.serial() + " " + device.device().getName() + " " + device.state() + " "
                        + device.health())
                .toList();
    }
}
