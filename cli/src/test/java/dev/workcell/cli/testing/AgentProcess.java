package dev.workcell.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real edge agent (../edge-agent/target/quarkus-app) as a child process, enrolled with an enrollment token. */
public final class AgentProcess implements AutoCloseable {

    static final Path JAR = Path.of("..", "edge-agent", "target", "quarkus-app", "quarkus-run.jar");
    /** What the agent logs each time it registered. */
    public static final String REGISTERED = "registered with control plane";

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts an agent for {@code hostName} serving {@code targets} (comma list) and waits until it registered. */
    public static AgentProcess start(
            int controlPlanePort,
            String enrollmentToken,
            String hostName,
            String targets,
            Map<String, String> settings) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build with mvn -pl cli -am");
        }
        try {
            Path workDir = Files.createTempDirectory("cli-test-agent-");
            Path log = workDir.resolve("agent.log");
            ProcessBuilder builder = new ProcessBuilder(
                            List.of(Processes.java(), "-Xmx128m", "-XX:+UseSerialGC", "-jar", JAR.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("WORKCELL_CONTROL_PLANE_HOST", "127.0.0.1");
            env.put("WORKCELL_CONTROL_PLANE_PORT", Integer.toString(controlPlanePort));
            env.put("WORKCELL_AGENT_PLAINTEXT", "true");
            env.put("WORKCELL_AGENT_HOST_NAME", hostName);
            env.put("WORKCELL_AGENT_TARGETS", targets);
            env.put("WORKCELL_AGENT_WORK_DIR", workDir.toString());
            env.put("WORKCELL_AGENT_ENROLLMENT_TOKEN", enrollmentToken);
            env.put(
                    "WORKCELL_AGENT_CREDENTIAL_FILE",
                    workDir.resolve("credential").toString());
            env.putAll(settings);
            AgentProcess agent = new AgentProcess(builder.start(), log);
            Processes.awaitLog(agent.process, log, REGISTERED, Duration.ofSeconds(90));
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logText() {
        return Processes.read(log);
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
