package dev.workcell.agent.connection;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/** Points the agent at the fake control plane, with short intervals so tests run fast. */
public class FakeControlPlaneProfile implements QuarkusTestProfile {

    static final String HOST_NAME = "test-host";
    /** Free when the tests start, so that builds running side by side on one machine do not meet. */
    static final int PORT = freePort();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.grpc.server.test-port",
                Integer.toString(PORT),
                "quarkus.grpc.clients.control-plane.port",
                Integer.toString(PORT),
                "workcell.agent.host-name",
                HOST_NAME,
                "workcell.agent.heartbeat-interval",
                "300ms",
                "workcell.agent.kill-grace",
                "1s",
                "workcell.agent.discovery.adb-enabled",
                "false");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
