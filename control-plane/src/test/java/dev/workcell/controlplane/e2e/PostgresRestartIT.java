package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.LedgerAudit;
import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under a running system: the control plane reconnects and carries on, and
 * every acknowledged action ran exactly once (each task appends a line to a file) and the ledger
 * ends consistent (LedgerAudit): each succeeded once, each transition with its event.
 */
class PostgresRestartIT {

    static EmbeddedPostgres start(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    @Test
    void theSystemCarriesOnAfterPostgresRestartsAndLosesNothing() throws Exception {
        Path data = Files.createTempDirectory("workcell-pg-restart");
        int pgPort = ControlPlaneProcess.freePort();
        int port = ControlPlaneProcess.freePort();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path runs = Files.createTempFile("pg-restart-runs", ".txt");
        List<String> acknowledged = new ArrayList<>();
        List<String> expectedRuns = new ArrayList<>();
        Map<String, String> database = Map.of(
                "WORKCELL_DB",
                "127.0.0.1:" + pgPort + "/postgres",
                "WORKCELL_DB_USER",
                "postgres",
                "WORKCELL_DB_PASSWORD",
                "postgres");
        EmbeddedPostgres postgres = start(data, pgPort);
        try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(port, database);
                AgentProcess agent = AgentProcess.start(
                                "pg-restart-host-" + run, "pgr-a-" + run + ",pgr-b-" + run, port)
                        .awaitRegistered()) {
            RestAssured.port = port;
            for (int i = 0; i < 10; i++) {
                acknowledged.add(submitShell(
                        (i % 2 == 0 ? "pgr-a-" : "pgr-b-") + run, "sleep 0.3; echo before-" + i + " >> " + runs));
                expectedRuns.add("before-" + i);
            }

            postgres.close();
            Api.sleep(3000);
            postgres = start(data, pgPort);

            // Each try writes its own line: a refused submit that was committed after all may run, once, too.
            AtomicInteger tries = new AtomicInteger();
            await("submits accepted again after the restart")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        while (acknowledged.size() < 20) {
                            int i = acknowledged.size();
                            String line = "after-" + tries.getAndIncrement();
                            try {
                                acknowledged.add(submitShell(
                                        (i % 2 == 0 ? "pgr-a-" : "pgr-b-") + run, "echo " + line + " >> " + runs));
                                expectedRuns.add(line);
                            } catch (AssertionError notYet) {
                                return false;
                            }
                        }
                        return true;
                    });

            for (String id : acknowledged) {
                assertThat(awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(90))
                                .getString("status"))
                        .isEqualTo("SUCCEEDED");
            }
            assertThat(Files.readAllLines(runs))
                    .as("each acknowledged action ran exactly once")
                    .containsAll(expectedRuns)
                    .doesNotHaveDuplicates();
            LedgerAudit.of(database).assertConsistent(acknowledged);
        } finally {
            postgres.close();
        }
    }
}
