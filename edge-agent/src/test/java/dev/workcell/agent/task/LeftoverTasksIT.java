package dev.workcell.agent.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.agent.testing.AgentProcess;
import dev.workcell.agent.testing.StandaloneControlPlane;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.TaskUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent, SIGKILLed while a task runs, kills everything the task left before it says Hello again. */
class LeftoverTasksIT {

    private static final String HOST = "leftover-it";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    @TempDir
    Path pids;

    private StandaloneControlPlane controlPlane;

    @BeforeEach
    void startControlPlane() throws IOException {
        controlPlane = StandaloneControlPlane.start();
    }

    @AfterEach
    void stopControlPlaneAndLeftovers() throws Exception {
        recorded().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        controlPlane.close();
    }

    @Test
    void killsEveryProcessOfAKilledAgentsTaskBeforeTakingTheNextAttemptOnItsDevice() throws Exception {
        AgentProcess first = agent();
        controlPlane.awaitHello(WAIT);
        // The task, a child in its group, and a child in a session of its own: all ignore SIGTERM.
        Path tree =
                ProcessTrees.script(pids, "trap '' TERM; eval \"$RECORD\"; sh $STUBBORN & setsid sh $STUBBORN & wait");
        controlPlane.run("orphan", HOST, "sh", tree.toString());
        controlPlane.awaitUpdate("orphan", update -> update.getStatus() == ActionStatus.RUNNING, WAIT);
        await().atMost(WAIT).until(() -> recorded().size() == 3);
        first.kill();
        assertThat(running().size())
                .as("the task's processes died with the agent: nothing to test")
                .isEqualTo(3);

        try (AgentProcess second = agent()) {
            assertThat(controlPlane.awaitHello(WAIT).getHeldList()).isEqualTo(List.of());
            List<Long> leftAtHello = running();
            controlPlane.run("orphan", 2, HOST, "sh", "-c", "echo next attempt");
            controlPlane.awaitUpdate(
                    "orphan", update -> update.getAttempt() == 2 && update.getStatus() == ActionStatus.RUNNING, WAIT);
            List<Long> leftAtNextAttempt = running();
            TaskUpdate next = controlPlane.awaitUpdate(
                    "orphan", update -> update.getAttempt() == 2 && update.getStatus() != ActionStatus.RUNNING, WAIT);

            assertThat(leftAtHello)
                    .as("task processes of the killed agent still ran when it said Hello again")
                    .isEqualTo(List.of());
            assertThat(leftAtNextAttempt)
                    .as("task processes of the killed agent still ran beside the next attempt")
                    .isEqualTo(List.of());
            assertThat(next.getStatus()).as(next.getError()).isEqualTo(ActionStatus.SUCCEEDED);
            assertThat(Files.exists(workDir.resolve("orphan-1")))
                    .as("the killed attempt's work dir was left behind")
                    .isFalse();
            assertThat(second.count("killed 3 leftover processes of attempt orphan#1"))
                    .as(second.logText())
                    .isEqualTo(1);
        }
    }

    private AgentProcess agent() {
        return AgentProcess.start(
                controlPlane.port(),
                "64m",
                Map.of(
                        "workcell.agent.host-name",
                        HOST,
                        "workcell.agent.work-dir",
                        workDir.toString(),
                        "workcell.agent.kill-grace",
                        "1s",
                        "workcell.agent.reconnect.max-delay",
                        "500ms"));
    }

    /** The pids the task's processes wrote down. */
    private List<Long> recorded() throws IOException {
        return ProcessTrees.recordedPids(pids);
    }

    private List<Long> running() throws IOException {
        return ProcessTrees.running(recorded());
    }
}
