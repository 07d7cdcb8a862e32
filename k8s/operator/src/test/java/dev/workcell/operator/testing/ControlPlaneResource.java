package dev.workcell.operator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real control plane (the packaged one of the reactor, plaintext on a free port) on a real
 * PostgreSQL, with a fresh bootstrap admin token, for the agent-pool tests. The operator reaches it
 * as the Workcell named {@link #WORKCELL} through workcell.operator.pools.control-plane-urls, as an
 * operator outside the cluster would; it polls pools every second.
 */
public class ControlPlaneResource implements QuarkusTestResourceLifecycleManager {

    public static final String WORKCELL = "real";
    public static final String PORT = "workcell.test.control-plane-port";
    public static final String ADMIN_TOKEN = "workcell.test.admin-token";
    public static final String LOG = "workcell.test.control-plane-log";

    private EmbeddedPostgres postgres;
    private Process controlPlane;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String adminToken = "wct_" + HexFormat.of().formatHex(random);
            int port = Processes.freePort();
            Path log = Files.createTempFile("operator-test-control-plane-", ".log");
            controlPlane = Processes.start(
                    Processes.CONTROL_PLANE,
                    List.of("-Xmx256m"),
                    Map.of(
                            "WORKCELL_DB", "127.0.0.1:" + postgres.getPort() + "/postgres",
                            "WORKCELL_DB_USER", "postgres",
                            "WORKCELL_DB_PASSWORD", "postgres",
                            "WORKCELL_PLAINTEXT", "enabled",
                            "QUARKUS_HTTP_HOST", "127.0.0.1",
                            "QUARKUS_HTTP_PORT", Integer.toString(port),
                            "QUARKUS_MANAGEMENT_HOST", "127.0.0.1",
                            "QUARKUS_MANAGEMENT_PORT", Integer.toString(Processes.freePort()),
                            "WORKCELL_AUTH_BOOTSTRAP_ADMIN_TOKEN", adminToken),
                    log,
                    "started in");
            return Map.of(
                    PORT,
                    Integer.toString(port),
                    ADMIN_TOKEN,
                    adminToken,
                    LOG,
                    log.toString(),
                    "workcell.operator.pools.control-plane-urls." + WORKCELL,
                    "http://127.0.0.1:" + port,
                    "workcell.operator.pools.poll-interval",
                    "1s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (controlPlane != null) {
            Processes.stop(controlPlane);
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
