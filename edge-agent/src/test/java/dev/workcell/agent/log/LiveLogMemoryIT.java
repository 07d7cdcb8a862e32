package dev.workcell.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

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
    void dropsLiveOutputItCannotSendInsteadOfHoldingIt() throws Exception {
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
            assertThat(done.getStatus()).as(done.getError()).isEqualTo(ActionStatus.SUCCEEDED);
            assertThat(done.getOutput().getStdoutTail()).isEqualTo("x".repeat(8192 - 5) + "\nend\n");
            assertThat(controlPlane.logBytes() < 100_000_000)
                    .as(controlPlane.logBytes() + " bytes of live log arrived")
                    .isTrue();
            assertThat(agent.count("live log of attempt flood#1: dropping output"))
                    .as(agent.logText())
                    .isEqualTo(1);
            assertThat(agent.isAlive()).as(agent.logText()).isTrue();
        }
    }
}
