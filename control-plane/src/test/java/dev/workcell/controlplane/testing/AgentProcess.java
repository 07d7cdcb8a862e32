package dev.workcell.controlplane.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/** A real edge agent, started as a child process from the packaged agent (edge-agent/target/quarkus-app). */
public final class AgentProcess implements AutoCloseable {

    public static final Path JAR = Path.of("..", "edge-agent", "target", "quarkus-app", "quarkus-run.jar");
    /** What the agent logs each time it registered. */
    public static final String REGISTERED = "registered with control plane";

    private static final Path WORK_DIRS = Path.of(System.getProperty("java.io.tmpdir"), "workcell-test-agents");

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final String name;

    private AgentProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::readLog, "agent-log-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts an agent named {@code hostName} serving {@code targets} (comma list) through the given port. */
    public static AgentProcess start(
            String hostName, String targets, int controlPlanePort, Map<String, String> settings) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build the edge-agent module first");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx128m", "-XX:+UseSerialGC"));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("WORKCELL_CONTROL_PLANE_HOST", "127.0.0.1");
        env.put("WORKCELL_CONTROL_PLANE_PORT", Integer.toString(controlPlanePort));
        env.put("WORKCELL_AGENT_HOST_NAME", hostName);
        env.put("WORKCELL_AGENT_PLAINTEXT", "true");
        env.put("WORKCELL_AGENT_TARGETS", targets);
        // Each host its own work dir and outbox, kept across restarts of the same host.
        env.put("WORKCELL_AGENT_WORK_DIR", workDir(hostName).toString());
        // Enrolled once per control plane of this test run; restarts of the host keep its credential.
        if (!settings.containsKey("workcell.agent.enrollment-token")) {
            TestCredentials.revokeEarlierEnrollments(controlPlanePort, hostName);
            env.put("WORKCELL_AGENT_ENROLLMENT_TOKEN", TestCredentials.enrollmentToken(controlPlanePort));
        }
        env.put(
                "WORKCELL_AGENT_CREDENTIAL_FILE",
                credentialFile(hostName, controlPlanePort).toString());
        try {
            return new AgentProcess(hostName, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The work dir of the agents of this host (attempts, outbox, credential), kept across their restarts. */
    public static Path workDir(String hostName) {
        return WORK_DIRS.resolve(hostName);
    }

    /** Where the agents of this host keep the credential they got from the control plane on this port. */
    public static Path credentialFile(String hostName, int controlPlanePort) {
        return workDir(hostName).resolve("credential-" + controlPlanePort + "-" + TestCredentials.RUN);
    }

    public static AgentProcess start(String hostName, String targets, int controlPlanePort) {
        return start(hostName, targets, controlPlanePort, new HashMap<>());
    }

    /** Waits until the agent has registered {@code times} times in all. */
    public AgentProcess awaitRegistered(int times, Duration timeout) {
        try {
            await().atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (log.stream()
                                        .filter(line -> line.contains(REGISTERED))
                                        .count()
                                >= times) {
                            return true;
                        }
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "agent " + name + " exited with " + process.exitValue() + ":\n" + logText());
                        }
                        return false;
                    });
            return this;
        } catch (ConditionTimeoutException timedOut) {
            throw new IllegalStateException(
                    "agent " + name + " did not register " + times + " time(s) in " + timeout + ":\n" + logText());
        }
    }

    public AgentProcess awaitRegistered() {
        return awaitRegistered(1, Duration.ofSeconds(30));
    }

    /** SIGKILL: no shutdown hook, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** How many lines of the agent's log contain the text. */
    public long count(String text) {
        return log.stream().filter(line -> line.contains(text)).count();
    }

    public String logText() {
        return String.join("\n", log);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        if (!waitFor()) {
            process.destroyForcibly();
            waitFor();
        }
    }

    private boolean waitFor() {
        try {
            return process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void readLog() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.add(line);
                if (Boolean.getBoolean("workcell.test.echo-agent-logs")) {
                    System.out.println("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            log.add("(log reader stopped: " + e.getMessage() + ")");
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
