package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.LedgerAudit;
import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A control plane started before its PostgreSQL waits for it, saying so, and comes up by itself when it is there. */
class LateDatabaseIT {

    static final Duration DATABASE_LATE_BY = Duration.ofSeconds(20);

    @Test
    void aControlPlaneStartedTwentySecondsBeforePostgresComesUpByItselfAndServes() throws Exception {
        int pgPort = ControlPlaneProcess.freePort();
        int port = ControlPlaneProcess.freePort();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> database = Map.of(
                "WORKCELL_DB",
                "127.0.0.1:" + pgPort + "/postgres",
                "WORKCELL_DB_USER",
                "postgres",
                "WORKCELL_DB_PASSWORD",
                "postgres");
        try (ControlPlaneProcess controlPlane =
                ControlPlaneProcess.launch(port, database, Map.of("WORKCELL_PLAINTEXT", "enabled"))) {
            controlPlane.awaitLog(
                    "waiting for PostgreSQL at 127.0.0.1:" + pgPort + "/postgres (user postgres)",
                    Duration.ofSeconds(30));
            Api.sleep(DATABASE_LATE_BY.toMillis());
            assertThat(controlPlane.logText().lines().filter(line -> line.contains("waiting for PostgreSQL")))
                    .as("it kept trying, one line per attempt with the error, backing off")
                    .hasSizeBetween(4, 20)
                    .allMatch(line -> line.contains("refused"));

            try (EmbeddedPostgres postgres =
                    EmbeddedPostgres.builder().setPort(pgPort).start()) {
                controlPlane.awaitLog("started in", Duration.ofSeconds(60));
                assertThat(controlPlane.logText())
                        .contains("PostgreSQL at 127.0.0.1:" + pgPort + "/postgres is up after");

                RestAssured.port = port;
                try (AgentProcess agent = AgentProcess.start("late-db-host-" + run, "late-db-phone-" + run, port)
                        .awaitRegistered()) {
                    String id = submitShell("late-db-phone-" + run, "echo served");
                    assertThat(awaitStatus(id, "SUCCEEDED").getString("output.stdoutTail"))
                            .contains("served");
                    LedgerAudit.of(database).assertConsistent(List.of(id));
                }
            }
        }
    }
}
