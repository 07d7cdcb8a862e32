package dev.workcell.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void shouldDeliverTheResultAndItsArtifactOnceAfterBeingKilledWhileTheControlPlaneWasAway() throws Exception {
        AgentProcess first = agent();
        controlPlane.awaitHello(WAIT);
        controlPlane.run(
                "survivor", HOST, "sh", "-c", "sleep 1; head -c 3000000 /dev/urandom > capture.bin; echo finished");
        controlPlane.awaitUpdate("survivor", update -> update.getStatus() == ActionStatus.RUNNING, WAIT);

        controlPlane.stop();
        first.awaitLog("attempt survivor#1 ended SUCCEEDED", WAIT);
        first.kill();

        assertEquals(List.of(), controlPlane.finals());
        assertFalse(Files.exists(workDir.resolve("survivor-1")), "the work dir outlived the attempt");
        assertEquals(1, spooled().size());
        controlPlane.listen();
        try (AgentProcess second = agent()) {
            assertEquals(
                    List.of(held("survivor", ActionStatus.SUCCEEDED)),
                    controlPlane.awaitHello(WAIT).getHeldList());
            TaskUpdate delivered = controlPlane.awaitUpdate("survivor", update -> true, WAIT);

            assertEquals(ActionStatus.SUCCEEDED, delivered.getStatus());
            assertEquals("finished\n", delivered.getOutput().getStdoutTail());
            Artifact capture = delivered.getOutput().getArtifacts(0);
            assertEquals("capture.bin", capture.getName());
            assertEquals(3_000_000, capture.getSize());
            assertNotNull(
                    controlPlane.artifacts().content(capture.getSha256()), "the result came without its artifact");
            awaitOutboxEmpty(second);
        }
        try (AgentProcess third = agent()) {
            assertEquals(List.of(), controlPlane.awaitHello(WAIT).getHeldList());
        }
        assertEquals(1, controlPlane.finals().size(), controlPlane.finals().toString());
        assertEquals(1, controlPlane.enrollments(), "the agent enrolled again instead of keeping its credential");
        assertTrue(
                controlPlane.connectCredentials().stream()
                        .allMatch(("Bearer " + StandaloneControlPlane.CREDENTIAL)::equals),
                controlPlane.connectCredentials().toString());
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(workDir.resolve("credential"))));
    }

    @Test
    void shouldDeliverAgainAfterBeingKilledWhatTheControlPlaneNeverAcknowledged() throws Exception {
        controlPlane.acknowledge(false);
        AgentProcess first = agent();
        controlPlane.awaitHello(WAIT);
        controlPlane.run("unacknowledged", HOST, "sh", "-c", "echo report > report.bin");
        TaskUpdate firstDelivery =
                controlPlane.awaitUpdate("unacknowledged", update -> update.getStatus() != ActionStatus.RUNNING, WAIT);
        first.kill();

        controlPlane.acknowledge(true);
        try (AgentProcess second = agent()) {
            assertEquals(
                    List.of(held("unacknowledged", ActionStatus.SUCCEEDED)),
                    controlPlane.awaitHello(WAIT).getHeldList());
            TaskUpdate again = controlPlane.awaitUpdate("unacknowledged", update -> true, WAIT);

            assertEquals(firstDelivery, again);
            Artifact report = again.getOutput().getArtifacts(0);
            assertArrayEquals("report\n".getBytes(), controlPlane.artifacts().content(report.getSha256()));
            assertEquals(1, controlPlane.artifacts().uploads().size(), "the artifact was uploaded twice");
            awaitOutboxEmpty(second);
        }
        try (AgentProcess third = agent()) {
            assertEquals(List.of(), controlPlane.awaitHello(WAIT).getHeldList());
        }
        assertEquals(List.of(firstDelivery, firstDelivery), controlPlane.finals());
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

    private void awaitOutboxEmpty(AgentProcess agent) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!spooled().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "still in the outbox: " + spooled() + "\n" + agent.logText());
            Thread.sleep(20);
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
