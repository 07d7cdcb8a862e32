package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.deviceId;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.workersOfHost;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.ProcessDatabase;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Manager.Init for real: the control plane is SIGKILLed while a task runs and a new instance
 * starts on the same database; the agent reconnects, reports its attempt, and the action ends
 * once, at attempt 1. Until an agent reconnects, the new instance shows its workers offline.
 */
class ControlPlaneRestartIT {

    @RegisterExtension
    static final ProcessDatabase DATABASE = new ProcessDatabase();

    @Test
    void aRestartedControlPlaneResumesTheRunningActionInsteadOfRunningItAgain() throws Exception {
        int port = ControlPlaneProcess.freePort();
        RestAssured.port = port;
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path runs = Files.createTempFile("restart-runs", ".txt");
        ControlPlaneProcess first = ControlPlaneProcess.start(port, DATABASE.environment());
        try (AgentProcess agent = AgentProcess.start("restart-host-" + run, "restart-phone-" + run, port)
                .awaitRegistered()) {
            String id = submitShell("restart-phone-" + run, "echo run >> " + runs + "; sleep 4; echo finished");
            awaitStatus(id, "RUNNING");

            first.kill();
            try (ControlPlaneProcess second = ControlPlaneProcess.start(port, DATABASE.environment())) {
                agent.awaitRegistered(2, Duration.ofSeconds(30));
                JsonPath done = awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(30));

                assertThat(done.getInt("attempt")).isEqualTo(1);
                assertThat(done.getString("output.stdoutTail")).contains("finished");
                assertThat(Files.readAllLines(runs)).containsExactly("run");
                assertThat(events(id))
                        .extracting(event -> event.get("to"))
                        .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
                assertThat(second.logText()).contains("resumed attempt 1 of " + id);
                LedgerAudit.of(DATABASE.environment()).assertConsistent(List.of(id));
            }
        } finally {
            first.close();
        }
    }

    @Test
    void aNewInstanceShowsTheKilledInstancesWorkersOfflineBeforeAnyAgentReconnects() throws Exception {
        String host = "orphaned-host-" + UUID.randomUUID().toString().substring(0, 8);
        // Replicas time out only after a minute here: what the new instance shows cannot come from that timeout.
        Map<String, String> slowTimeout =
                Map.of("WORKCELL_PLAINTEXT", "enabled", "WORKCELL_CLUSTER_REPLICA_TIMEOUT", "60s");
        int firstPort = ControlPlaneProcess.freePort();
        ControlPlaneProcess first = ControlPlaneProcess.start(firstPort, DATABASE.environment(), slowTimeout);
        try (AgentProcess agent =
                AgentProcess.start(host, host + "-phone", firstPort).awaitRegistered()) {
            RestAssured.port = firstPort;
            String hostId = deviceId(host);
            assertThat(workersOfHost(hostId))
                    .isNotEmpty()
                    .allMatch(worker -> worker.get("live").equals(true));

            first.kill();
            // The agent keeps calling the dead instance's port, so it never reaches the new one.
            int secondPort = ControlPlaneProcess.freePort();
            try (ControlPlaneProcess second =
                    ControlPlaneProcess.start(secondPort, DATABASE.environment(), slowTimeout)) {
                RestAssured.port = secondPort;
                assertThat(workersOfHost(hostId))
                        .isNotEmpty()
                        .allMatch(worker -> worker.get("live").equals(false));
                LedgerAudit.of(DATABASE.environment()).assertConsistent(List.of());
            }
        } finally {
            first.close();
        }
    }
}
