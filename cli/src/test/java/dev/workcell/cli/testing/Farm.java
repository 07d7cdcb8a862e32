package dev.workcell.cli.testing;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A control plane and one agent serving two targets, for the tests of a class. Device names carry a
 * run id, so that tests on a shared database (WORKCELL_DB) never see another run's devices as theirs.
 */
public final class Farm implements AutoCloseable {

    private static Farm shared;

    public final String run =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    public final String host = "cli-host-" + run;
    public final String phoneA = "phone-a-" + run;
    public final String phoneB = "phone-b-" + run;

    private final ControlPlaneProcess controlPlane;
    private final AgentProcess agent;

    private Farm(Map<String, String> controlPlaneSettings, Map<String, String> agentSettings) {
        controlPlane = ControlPlaneProcess.startPlaintext(controlPlaneSettings);
        try {
            String enrollment = admin().run(
                            "enrollment-tokens", "create", "--pool", "cli-test", "--reusable", "-o", "json")
                    .json()
                    .getAsJsonObject()
                    .get("secret")
                    .getAsString();
            agent = AgentProcess.start(controlPlane.port(), enrollment, host, phoneA + "," + phoneB, agentSettings);
        } catch (RuntimeException e) {
            controlPlane.close();
            throw e;
        }
    }

    public static Farm start(Map<String, String> controlPlaneSettings, Map<String, String> agentSettings) {
        return new Farm(controlPlaneSettings, agentSettings);
    }

    /**
     * One farm for the test classes that need nothing special (closed when the JVM ends): its agent
     * uploads *.txt files an EXEC task writes in its work dir as artifacts, and offers TRACE, REPLAY
     * and REPORT as shell commands that write a file each (a trace names its subject and API, a
     * replay and a report quote the trace they read).
     */
    public static synchronized Farm shared() {
        if (shared == null) {
            shared = new Farm(
                    Map.of(),
                    Map.of(
                            "WORKCELL_AGENT_EXEC_OUTPUTS", "*.txt",
                            "WORKCELL_AGENT_OPERATIONS_TRACE_COMMAND",
                                    "sh,-c,echo \"trace of $0 ($1)\" > \"$2/trace.gfxtrace\",{subject},{api},{workdir}",
                            "WORKCELL_AGENT_OPERATIONS_TRACE_OUTPUT", "{workdir}/trace.gfxtrace",
                            "WORKCELL_AGENT_OPERATIONS_REPLAY_COMMAND",
                                    "sh,-c,echo \"video of $(cat \"$0\")\" > \"$1/video.mp4\",{trace},{workdir}",
                            "WORKCELL_AGENT_OPERATIONS_REPLAY_OUTPUT", "{workdir}/video.mp4",
                            "WORKCELL_AGENT_OPERATIONS_REPORT_COMMAND",
                                    "sh,-c,echo \"report on $(cat \"$0\") by $1\" > \"$2/report.txt\",{trace},{gapir_device},{workdir}",
                            "WORKCELL_AGENT_OPERATIONS_REPORT_OUTPUT", "{workdir}/report.txt"));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public String server() {
        return "http://127.0.0.1:" + controlPlane.port();
    }

    public ControlPlaneProcess controlPlane() {
        return controlPlane;
    }

    public String adminToken() {
        return controlPlane.adminToken();
    }

    /** A CLI with a fresh config directory that reaches this farm as its admin, through the environment. */
    public Cli admin() {
        return as(controlPlane.adminToken());
    }

    /** A CLI with a fresh config directory that reaches this farm with {@code token}, through the environment. */
    public Cli as(String token) {
        Map<String, String> env = new HashMap<>();
        env.put("WORKCELL_SERVER", server());
        env.put("WORKCELL_TOKEN", token);
        return Cli.fresh(env);
    }

    public String agentLog() {
        return agent.logText();
    }

    @Override
    public void close() {
        agent.close();
        controlPlane.close();
    }
}
