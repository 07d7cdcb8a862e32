package dev.workcell.agent.device;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void shouldKnowTheDevicesPresentAtStartBeforeTheFirstInterval() {
        adb.plug(FakeAdb.PIXEL);

        discovery = discovery(Duration.ofHours(1));

        assertEquals(List.of(FakeAdb.PIXEL), serials(discovery.current()));
    }

    @Test
    void shouldSeeDevicesComeAndGoAtEachInterval() throws Exception {
        discovery = discovery(Duration.ofMillis(100));
        assertEquals(List.of("bench"), serials(discovery.current()));

        adb.plug(FakeAdb.PIXEL);
        DevicesScanned plugged = awaitScan(List.of(FakeAdb.PIXEL));
        assertEquals(List.of("bench"), serials(plugged.previous()));

        adb.plug();
        awaitScan(List.of("bench"));
    }

    @Test
    void shouldScanAgainOnDemand() throws Exception {
        discovery = discovery(Duration.ofHours(1));
        adb.plug(FakeAdb.EMULATOR);

        discovery.rescan();

        assertEquals(
                List.of(FakeAdb.EMULATOR),
                serials(awaitScan(List.of(FakeAdb.EMULATOR)).current()));
    }

    @Test
    void shouldNotCallADeviceAdbListsOfflineForOneScanLost() throws Exception {
        adb.plug(FakeAdb.PIXEL);
        discovery = discovery(Duration.ofMillis(100));

        adb.listOfflineOnce(FakeAdb.PIXEL);
        await().atMost(WAIT).until(adb::offlineOnceListed);
        long listed = System.nanoTime();
        Scan afterTheWindow = awaitScan(scan -> scan.nanoTime() > listed + WINDOW.toNanos());

        assertEquals(
                List.of(), scans.stream().filter(scan -> !pixelOnline(scan)).toList());
        assertTrue(pixelOnline(afterTheWindow));
    }

    @Test
    void shouldCallADeviceLostOnceItStaysOfflinePastTheWindow() throws Exception {
        adb.plug(FakeAdb.PIXEL);
        discovery = discovery(Duration.ofMillis(100));

        long offline = System.nanoTime();
        adb.listOffline(FakeAdb.PIXEL);
        Scan lost = awaitScan(scan -> !pixelOnline(scan));

        assertTrue(
                lost.nanoTime() - offline >= WINDOW.toNanos(),
                "lost after " + Duration.ofNanos(lost.nanoTime() - offline));
        assertEquals(Optional.of("it is offline: adb: offline"), lost.current().unavailable(FakeAdb.PIXEL));
    }

    @Test
    void shouldServeTheHostWhileAdbListsOnlyUnusableDevices() throws Exception {
        adb.plug(FakeAdb.UNAUTHORIZED);

        discovery = discovery(Duration.ofHours(1));

        assertEquals(List.of("bench", FakeAdb.UNAUTHORIZED), serials(discovery.current()));
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
