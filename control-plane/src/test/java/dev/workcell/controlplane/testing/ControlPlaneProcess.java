package dev.workcell.controlplane.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/** The packaged control plane (target/quarkus-app) as a child process, so that a test can SIGKILL and restart it. */
public final class ControlPlaneProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final Path log;
    private final int port;
    private final int managementPort;

    private ControlPlaneProcess(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Where its REST and gRPC API answer. */
    public int port() {
        return port;
    }

    /** Where its health, metrics and info answer (http://localhost:PORT/q/...). */
    public int managementPort() {
        return managementPort;
    }

    /** Starts it on a port against a database ("host:port/db", user, password) and waits until it serves. */
    public static ControlPlaneProcess start(int port, Map<String, String> database) {
        return start(port, database, Map.of("WORKCELL_PLAINTEXT", "enabled"));
    }

    /** Starts it with more environment, e.g. its TLS settings instead of plaintext. */
    public static ControlPlaneProcess start(int port, Map<String, String> database, Map<String, String> environment) {
        ControlPlaneProcess controlPlane = launch(port, database, environment);
        controlPlane.awaitLog("started in", Duration.ofSeconds(60));
        return controlPlane;
    }

    /** Starts it without waiting until it serves, e.g. while its database is not there yet. */
    public static ControlPlaneProcess launch(int port, Map<String, String> database, Map<String, String> environment) {
        try {
            Path log = Files.createTempFile("control-plane-" + port + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx256m",
                            "-jar",
                            JAR.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(database);
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            // Health and metrics on a free port of their own, so that several processes on one machine do not meet.
            int managementPort = freePort();
            builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            builder.environment().put("WORKCELL_AUTH_BOOTSTRAP_ADMIN_TOKEN", TestCredentials.ADMIN);
            // No Service in front of most process tests: the shutdown delay would only slow their close.
            builder.environment().put("QUARKUS_SHUTDOWN_DELAY", "0s");
            builder.environment().putAll(environment);
            // The REST calls of process tests act as the admin, as those of @QuarkusTest classes do.
            io.restassured.RestAssured.authentication = io.restassured.RestAssured.oauth2(TestCredentials.ADMIN);
            return new ControlPlaneProcess(builder.start(), log, port, managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void awaitLog(String text, Duration timeout) {
        try {
            await().atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (logText().contains(text)) {
                            return true;
                        }
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "control plane exited with " + process.exitValue() + ":\n" + logText());
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException timedOut) {
            throw new IllegalStateException(
                    "no '" + text + "' in the control plane's log after " + timeout + ":\n" + logText());
        }
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as Kubernetes sends it; returns at once (see {@link #awaitExit}). */
    public void terminate() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit code as soon as the process has exited. */
    public CompletableFuture<Integer> exited() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** How many lines of its log contain the text. */
    public long count(String text) {
        return logText().lines().filter(line -> line.contains(text)).count();
    }

    /** SIGKILL: no shutdown, nothing flushed but what PostgreSQL already committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
