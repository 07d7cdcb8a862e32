package dev.workcell.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.agent.testing.AgentProcess;
import dev.workcell.agent.testing.StandaloneControlPlane;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.TaskUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent, SIGKILLed between finishing a task and delivering it, delivers it when started again: once. */
class OutboxIT {

    private static final String HOST = "outbox-it";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    private StandaloneControlPlane controlPlane;

    @BeforeEach
    void startControlPlane() throws IOException {
        controlPlane = StandaloneControlPlane.start();
    }

    @AfterEach
    void stopControlPlane() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void deliversTheResultAndItsArtifactOnceAfterBeingKilledWhileTheControlPlaneWasAway() throws Exception {
        AgentProcess first = agent();
        controlPlane.awaitHello(WAIT);
        controlPlane.run(
                "survivor", HOST, "sh", "-c", "sleep 1; head -c 3000000 /dev/urandom > capture.bin; echo finished");
        controlPlane.awaitUpdate("survivor", update -> update.getStatus() == ActionStatus.RUNNING, WAIT);

        controlPlane.stop();
        first.awaitLog("attempt survivor#1 ended SUCCEEDED", WAIT);
        first.kill();

        assertThat(controlPlane.finals()).isEqualTo(List.of());
        assertThat(Files.exists(workDir.resolve("survivor-1")))
                .as("the work dir outlived the attempt")
                .isFalse();
        assertThat(spooled().size()).isEqualTo(1);
        controlPlane.listen();
        try (AgentProcess second = agent()) {
            assertThat(controlPlane.awaitHello(WAIT).getHeldList())
                    .isEqualTo(List.of(held("survivor", ActionStatus.SUCCEEDED)));
            TaskUpdate delivered = controlPlane.awaitUpdate("survivor", update -> true, WAIT);

            assertThat(delivered.getStatus()).isEqualTo(ActionStatus.SUCCEEDED);
            assertThat(delivered.getOutput().getStdoutTail()).isEqualTo("finished\n");
            Artifact capture = delivered.getOutput().getArtifacts(0);
            assertThat(capture.getName()).isEqualTo("capture.bin");
            assertThat(capture.getSize()).isEqualTo(3_000_000);
            assertThat(controlPlane.artifacts().content(capture.getSha256()))
                    .as("the result came without its artifact")
                    .isNotNull();
            awaitOutboxEmpty(second);
        }
        try (AgentProcess third = agent()) {
            assertThat(controlPlane.awaitHello(WAIT).getHeldList()).isEqualTo(List.of());
        }
        assertThat(controlPlane.finals().size())
                .as(controlPlane.finals().toString())
                .isEqualTo(1);
        assertThat(controlPlane.enrollments())
                .as("the agent enrolled again instead of keeping its credential")
                .isEqualTo(1);
        assertThat(controlPlane.connectCredentials().stream()
                        .allMatch(("Bearer " + StandaloneControlPlane.CREDENTIAL)::equals))
                .as(controlPlane.connectCredentials().toString())
                .isTrue();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(workDir.resolve("credential"))))
                .isEqualTo("rw-------");
    }

    @Test
    void deliversAgainAfterBeingKilledWhatTheControlPlaneNeverAcknowledged() throws Exception {
        controlPlane.acknowledge(false);
        AgentProcess first = agent();
        controlPlane.awaitHello(WAIT);
        controlPlane.run("unacknowledged", HOST, "sh", "-c", "echo report > report.bin");
        TaskUpdate firstDelivery =
                controlPlane.awaitUpdate("unacknowledged", update -> update.getStatus() != ActionStatus.RUNNING, WAIT);
        first.kill();

        controlPlane.acknowledge(true);
        try (AgentProcess second = agent()) {
            assertThat(controlPlane.awaitHello(WAIT).getHeldList())
                    .isEqualTo(List.of(held("unacknowledged", ActionStatus.SUCCEEDED)));
            TaskUpdate again = controlPlane.awaitUpdate("unacknowledged", update -> true, WAIT);

            assertThat(again).isEqualTo(firstDelivery);
            Artifact report = again.getOutput().getArtifacts(0);
            assertThat(controlPlane.artifacts().content(report.getSha256())).isEqualTo("report\n".getBytes());
            assertThat(controlPlane.artifacts().uploads().size())
                    .as("the artifact was uploaded twice")
                    .isEqualTo(1);
            awaitOutboxEmpty(second);
        }
        try (AgentProcess third = agent()) {
            assertThat(controlPlane.awaitHello(WAIT).getHeldList()).isEqualTo(List.of());
        }
        assertThat(controlPlane.finals()).isEqualTo(List.of(firstDelivery, firstDelivery));
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
                        "workcell.agent.exec.outputs",
                        "*.bin",
                        "workcell.agent.reconnect.max-delay",
                        "500ms"));
    }

    private void awaitOutboxEmpty(AgentProcess agent) {
        try {
            await("the outbox emptied").atMost(WAIT).until(this::spooled, List::isEmpty);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nthe agent's log:\n" + agent.logText(), e);
        }
    }

    /** The entries in the agent's spool directory. */
    private List<Path> spooled() throws IOException {
        Path spool = workDir.resolve("outbox").resolve(HOST);
        try (Stream<Path> entries = Files.list(spool)) {
            return entries.filter(entry -> !entry.getFileName().toString().equals("lock"))
                    .toList();
        }
    }

    private static HeldAttempt held(String actionId, ActionStatus status) {
        return HeldAttempt.newBuilder()
                .setActionId(actionId)
                .setAttempt(1)
                .setStatus(status)
                .build();
    }
}
