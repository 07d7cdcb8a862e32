package dev.workcell.agent.testing;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/** The packaged edge agent (target/quarkus-app) running as a child process, with its log at hand. */
public final class AgentProcess implements AutoCloseable {

    /** The packaged agent; -Dworkcell.test.agent-jar runs another build (e.g. an older one, to measure a change). */
    private static final Path JAR =
            Path.of(System.getProperty("workcell.test.agent-jar", "target/quarkus-app/quarkus-run.jar"));

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();

    private AgentProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readLog, "agent-log-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts an agent talking to the control plane on the port.
     *
     * @param maxHeap the JVM's heap limit, e.g. "64m"; running out of it ends the agent
     * @param settings workcell.agent.* and other settings, as system properties
     */
    public static AgentProcess start(int controlPlanePort, String maxHeap, Map<String, String> settings) {
        return start(controlPlanePort, maxHeap, settings, Map.of());
    }

    /** Starts an agent as above, with these variables added to its environment. */
    public static AgentProcess start(
            int controlPlanePort, String maxHeap, Map<String, String> settings, Map<String, String> env) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: package the edge-agent module first");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError"));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WORKCELL_CONTROL_PLANE_HOST", "127.0.0.1");
        builder.environment().put("WORKCELL_CONTROL_PLANE_PORT", Integer.toString(controlPlanePort));
        builder.environment().put("WORKCELL_AGENT_ENROLLMENT_TOKEN", StandaloneControlPlane.ENROLLMENT_TOKEN);
        builder.environment().put("WORKCELL_AGENT_PLAINTEXT", "true");
        builder.environment().putAll(env);
        try {
            return new AgentProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a log line containing the text; fails if the agent exits first. */
    public void awaitLog(String text, Duration timeout) {
        try {
            await("the agent logs '" + text + "'")
                    .atMost(timeout)
                    .failFast("the agent exited", () -> !process.isAlive())
                    .until(() -> log.stream().anyMatch(line -> line.contains(text)));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + ":\n" + logText(), e);
        }
    }

    /** How many log lines contain the text. */
    public long count(String text) {
        return log.stream().filter(line -> line.contains(text)).count();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String logText() {
        return String.join("\n", log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or said. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private void readLog() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                log.add(line);
            }
        } catch (IOException e) {
            log.add("(log reader stopped: " + e.getMessage() + ")");
        }
    }
}
