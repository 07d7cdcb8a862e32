package dev.workcell.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workcell.agent.testing.AgentProcess;
import dev.workcell.agent.testing.StandaloneControlPlane;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.TaskUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent, on a 64 MB heap that ends it when full, runs a task that prints 100 MB to a control plane too slow to take it. */
class LiveLogMemoryIT {

    private static final String HOST = "flood-it";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    @Test
    void shouldDropLiveOutputItCannotSendInsteadOfHoldingIt() throws Exception {
        try (StandaloneControlPlane controlPlane = StandaloneControlPlane.start();
                AgentProcess agent = AgentProcess.start(
                        controlPlane.port(),
                        "64m",
                        Map.of("workcell.agent.host-name", HOST, "workcell.agent.work-dir", workDir.toString()))) {
            controlPlane.readLogsSlowly(Duration.ofMillis(20));
            controlPlane.awaitHello(WAIT);

            controlPlane.run("flood", HOST, "sh", "-c", "head -c 100000000 /dev/zero | tr '\\0' x; echo; echo end");

            TaskUpdate done =
                    controlPlane.awaitUpdate("flood", update -> update.getStatus() != ActionStatus.RUNNING, WAIT);
            assertEquals(ActionStatus.SUCCEEDED, done.getStatus(), done.getError());
            assertEquals("x".repeat(8192 - 5) + "\nend\n", done.getOutput().getStdoutTail());
            assertTrue(controlPlane.logBytes() < 100_000_000, controlPlane.logBytes() + " bytes of live log arrived");
            assertEquals(1, agent.count("live log of attempt flood#1: dropping output"), agent.logText());
            assertTrue(agent.isAlive(), agent.logText());
        }
    }
}
