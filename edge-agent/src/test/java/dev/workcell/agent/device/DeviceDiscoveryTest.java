package dev.workcell.agent.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.proto.v1.Device;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceDiscoveryTest {

    private static final Device HOST = AgentDevicesTest.device("bench", "bench");

    @TempDir
    Path dir;

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofMillis(600);

    /** A scan as the listener got it, and when. */
    private record Scan(DevicesScanned scan, long nanoTime) {
        AgentDevices current() {
            return scan.current();
        }
    }

    private final List<Scan> scans = new CopyOnWriteArrayList<>();
    private FakeAdb adb;
    private DeviceDiscovery discovery;

    @BeforeEach
    void installAdb() {
        adb = FakeAdb.install(dir);
    }

    @AfterEach
    void stopDiscovery() {
        discovery.stop();
    }

    @Test
    void knowsTheDevicesPresentAtStartBeforeTheFirstInterval() {
        adb.plug(FakeAdb.PIXEL);

        discovery = discovery(Duration.ofHours(1));

        assertThat(serials(discovery.current())).isEqualTo(List.of(FakeAdb.PIXEL));
    }

    @Test
    void seesDevicesComeAndGoAtEachInterval() throws Exception {
        discovery = discovery(Duration.ofMillis(100));
        assertThat(serials(discovery.current())).isEqualTo(List.of("bench"));

        adb.plug(FakeAdb.PIXEL);
        DevicesScanned plugged = awaitScan(List.of(FakeAdb.PIXEL));
        assertThat(serials(plugged.previous())).isEqualTo(List.of("bench"));

        adb.plug();
        awaitScan(List.of("bench"));
    }

    @Test
    void scansAgainOnDemand() throws Exception {
        discovery = discovery(Duration.ofHours(1));
        adb.plug(FakeAdb.EMULATOR);

        discovery.rescan();

        assertThat(serials(awaitScan(List.of(FakeAdb.EMULATOR)).current())).isEqualTo(List.of(FakeAdb.EMULATOR));
    }

    @Test
    void doesNotCallADeviceAdbListsOfflineForOneScanLost() throws Exception {
        adb.plug(FakeAdb.PIXEL);
        discovery = discovery(Duration.ofMillis(100));

        adb.listOfflineOnce(FakeAdb.PIXEL);
        await().atMost(WAIT).until(adb::offlineOnceListed);
        long listed = System.nanoTime();
        Scan afterTheWindow = awaitScan(scan -> scan.nanoTime() > listed + WINDOW.toNanos());

        assertThat(scans.stream().filter(scan -> !pixelOnline(scan)).toList()).isEqualTo(List.of());
        assertThat(pixelOnline(afterTheWindow)).isTrue();
    }

    @Test
    void callsADeviceLostOnceItStaysOfflinePastTheWindow() throws Exception {
        adb.plug(FakeAdb.PIXEL);
        discovery = discovery(Duration.ofMillis(100));

        long offline = System.nanoTime();
        adb.listOffline(FakeAdb.PIXEL);
        Scan lost = awaitScan(scan -> !pixelOnline(scan));

        assertThat(lost.nanoTime() - offline >= WINDOW.toNanos())
                .as("lost after " + Duration.ofNanos(lost.nanoTime() - offline))
                .isTrue();
        assertThat(lost.current().unavailable(FakeAdb.PIXEL)).isEqualTo(Optional.of("it is offline: adb: offline"));
    }

    @Test
    void servesTheHostWhileAdbListsOnlyUnusableDevices() throws Exception {
        adb.plug(FakeAdb.UNAUTHORIZED);

        discovery = discovery(Duration.ofHours(1));

        assertThat(serials(discovery.current())).isEqualTo(List.of("bench", FakeAdb.UNAUTHORIZED));
        adb.plug(FakeAdb.UNAUTHORIZED, FakeAdb.PIXEL);
        discovery.rescan();
        awaitScan(List.of(FakeAdb.UNAUTHORIZED, FakeAdb.PIXEL));
    }

    private static boolean pixelOnline(Scan scan) {
        return scan.current().find(FakeAdb.PIXEL).map(ObservedDevice::online).orElse(false);
    }

    private DeviceDiscovery discovery(Duration interval) {
        return new DeviceDiscovery(
                HOST,
                Optional.empty(),
                List.of(),
                Optional.of(new AndroidDiscovery(adb.executable().toString(), Duration.ofSeconds(5))),
                interval,
                new LossConfirmation(WINDOW),
                scan -> scans.add(new Scan(scan, System.nanoTime())));
    }

    /** The first scan after which the targets are these serials. */
    private DevicesScanned awaitScan(List<String> serials) {
        return awaitScan(scan -> serials(scan.current()).equals(serials)).scan();
    }

    /** The first scan, published or to come, that matches. */
    private Scan awaitScan(Predicate<Scan> filter) {
        return await().atMost(WAIT)
                .until(() -> scans.stream().filter(filter).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static List<String> serials(AgentDevices devices) {
        return devices.targets().stream().map(Device::getSerial).toList();
    }
}
