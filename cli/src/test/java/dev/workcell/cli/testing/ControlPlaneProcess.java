package dev.workcell.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The packaged control plane (../control-plane/target/quarkus-app) as a child process, with a fresh
 * bootstrap admin secret, on an embedded PostgreSQL of its own even when WORKCELL_DB is set: two
 * control planes of these tests on one database would be replicas of one cluster, and the second
 * would replace the first one's bootstrap admin secret.
 */
public final class ControlPlaneProcess implements AutoCloseable {

    static final Path JAR = Path.of("..", "control-plane", "target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final Path log;
    private final int port;
    private final String adminToken;

    private ControlPlaneProcess(Process process, Path log, int port, String adminToken) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminToken = adminToken;
    }

    /** Plaintext on a free port, for local development like ./demo.sh. */
    public static ControlPlaneProcess startPlaintext(Map<String, String> settings) {
        int port = Processes.freePort();
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("WORKCELL_PLAINTEXT", "enabled");
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return start(port, environment);
    }

    /** Only TLS, on a free port: {@code settings} carry the certificate. */
    public static ControlPlaneProcess startTls(Map<String, String> settings) {
        int port = Processes.freePort();
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("WORKCELL_TLS_PORT", Integer.toString(port));
        return start(port, environment);
    }

    private static ControlPlaneProcess start(int port, Map<String, String> settings) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build with mvn -pl cli -am");
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String adminToken = "wct_" + HexFormat.of().formatHex(random);
        try {
            Path log = Files.createTempFile("cli-test-control-plane-", ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(Processes.java(), "-Xmx384m", "-jar", JAR.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("WORKCELL_DB"));
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(Processes.freePort()));
            env.put("WORKCELL_AUTH_BOOTSTRAP_ADMIN_TOKEN", adminToken);
            env.putAll(settings);
            ControlPlaneProcess controlPlane = new ControlPlaneProcess(builder.start(), log, port, adminToken);
            Processes.awaitLog(controlPlane.process, log, "started in", Duration.ofSeconds(180));
            return controlPlane;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The secret of its admin token t-bootstrap. */
    public String adminToken() {
        return adminToken;
    }

    public String logText() {
        return Processes.read(log);
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
