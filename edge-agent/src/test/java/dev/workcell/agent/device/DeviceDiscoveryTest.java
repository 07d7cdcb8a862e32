package dev.workcell.agent.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.workcell.proto.v1.Device;

class DeviceDiscoveryTest {

    private static final Device HOST = AgentDevicesTest.device("bench", "bench");

    @TempDir
    Path dir;

    private final BlockingQueue<DevicesScanned> scans = new LinkedBlockingQueue<>();
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

        assertEquals(List.of(FakeAdb.EMULATOR), serials(awaitScan(List.of(FakeAdb.EMULATOR)).current()));
    }

    private DeviceDiscovery discovery(Duration interval) {
        return new DeviceDiscovery(HOST, Optional.empty(), List.of(),
                Optional.of(new AndroidDiscovery(adb.executable().toString(), Duration.ofSeconds(5))), interval, scans::add);
    }

    /** The first scan after which the targets are these serials. */
    private DevicesScanned awaitScan(List<String> serials) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (DevicesScanned scan = poll(deadline); scan != null; scan = poll(deadline)) {
            if (serials(scan.current()).equals(serials)) {
                return scan;
            }
        }
        assertNotNull(null, "no scan found " + serials);
        return null;
    }

    private DevicesScanned poll(long deadline) throws InterruptedException {
        return scans.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static List<String> serials(AgentDevices devices) {
        return devices.targets().stream().map(Device::getSerial).toList();
    }
}
