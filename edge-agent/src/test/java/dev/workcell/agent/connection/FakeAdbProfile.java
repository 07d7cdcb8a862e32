package dev.workcell.agent.connection;

import dev.workcell.agent.device.FakeAdb;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The fake control plane, with the fake adb for discovery (the Pixel and the emulator plugged at start), scanning every 300 ms. */
public class FakeAdbProfile extends FakeControlPlaneProfile {

    /** Where the fake adb lives; a fixed path, since the profile and the test may not share static state. */
    static final Path ADB_DIR = Path.of("target", "fake-adb").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        FakeAdb.install(ADB_DIR).plug(FakeAdb.PIXEL, FakeAdb.EMULATOR);
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("workcell.agent.discovery.adb-enabled", "true");
        overrides.put(
                "workcell.agent.discovery.adb", FakeAdb.in(ADB_DIR).executable().toString());
        overrides.put("workcell.agent.discovery.interval", "300ms");
        return overrides;
    }
}
