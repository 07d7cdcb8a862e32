package dev.workcell.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.Management;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Three control planes started at the same moment on an empty database: Flyway, which applies
 * each migration under a PostgreSQL advisory lock, migrates it once (each version applied by one
 * of them, once); every process comes up ready and none logs an error.
 */
class ConcurrentMigrationIT {

    static final int REPLICAS = 3;

    @Test
    void threeReplicasStartedAtOnceOnAnEmptyDatabaseMigrateItOnceAndAllComeUp() throws Exception {
        Path data = Files.createTempDirectory("workcell-pg-migration");
        int pgPort = ControlPlaneProcess.freePort();
        Map<String, String> database = Map.of(
                "WORKCELL_DB",
                "127.0.0.1:" + pgPort + "/postgres",
                "WORKCELL_DB_USER",
                "postgres",
                "WORKCELL_DB_PASSWORD",
                "postgres");
        List<ControlPlaneProcess> replicas = new ArrayList<>();
        try (EmbeddedPostgres postgres = PostgresRestartIT.start(data, pgPort)) {
            assertThat(count(pgPort, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
                    .as("tables of the fresh database")
                    .isZero();
            long launched = System.nanoTime();
            for (int i = 0; i < REPLICAS; i++) {
                replicas.add(ControlPlaneProcess.launch(
                        ControlPlaneProcess.freePort(), database, Map.of("WORKCELL_PLAINTEXT", "enabled")));
            }
            List<Long> readyAfterMillis = new ArrayList<>();
            for (ControlPlaneProcess replica : replicas) {
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(50))
                        .ignoreExceptionsInstanceOf(ConnectException.class)
                        .until(() -> {
                            if (!replica.isAlive()) {
                                throw new AssertionError(
                                        "a control plane exited during start-up:\n" + replica.logText());
                            }
                            return Management.on(replica.managementPort())
                                            .get("/q/health/ready")
                                            .statusCode()
                                    == 200;
                        });
                readyAfterMillis.add((System.nanoTime() - launched) / 1_000_000);
            }

            List<String> logs =
                    replicas.stream().map(ControlPlaneProcess::logText).toList();
            assertThat(logs).as("logs with an error").noneMatch(log -> log.contains(" ERROR "));
            // Flyway applies one migration at a time under the lock, so replicas may share the work.
            List<Integer> appliedBy = logs.stream()
                    .map(ConcurrentMigrationIT::appliedMigrationsIn)
                    .toList();
            assertThat(appliedBy.stream().mapToInt(Integer::intValue).sum())
                    .as("migrations applied by the replicas together, %s", appliedBy)
                    .isEqualTo(shippedVersions().size());
            assertThat(count(pgPort, "SELECT count(*) FROM flyway_schema_history WHERE NOT success"))
                    .as("failed migrations")
                    .isZero();
            Map<String, Integer> applied = appliedMigrations(pgPort);
            assertThat(applied)
                    .as("versions in flyway_schema_history, each with its number of rows")
                    .containsOnlyKeys(shippedVersions())
                    .allSatisfy((version, rows) ->
                            assertThat(rows).as("rows of version %s", version).isEqualTo(1));
            System.out.printf(
                    "%d control planes launched at once on an empty database: ready after %s ms; Quarkus start times %s;"
                            + " migrations applied by each %s%n",
                    REPLICAS,
                    readyAfterMillis,
                    logs.stream().map(ConcurrentMigrationIT::startedIn).toList(),
                    appliedBy);
        } finally {
            for (ControlPlaneProcess replica : replicas) {
                replica.close();
            }
        }
    }

    /** How many migrations a control plane's Flyway applied: "Successfully applied N migrations", or none. */
    private static int appliedMigrationsIn(String log) {
        return log.lines()
                .filter(line -> line.contains("Successfully applied"))
                .findFirst()
                .map(line -> Integer.parseInt(line.replaceAll(".*Successfully applied (\\d+) migration.*", "$1")))
                .orElse(0);
    }

    /** The Quarkus "started in" figure of a control plane's log, e.g. "5.122s". */
    private static String startedIn(String log) {
        return log.lines()
                .filter(line -> line.contains("started in"))
                .findFirst()
                .map(line -> line.replaceAll(".*started in ([0-9.]+s).*", "$1"))
                .orElse("?");
    }

    /** The V<n> migration versions shipped with the control plane. */
    private static List<String> shippedVersions() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__")))
                    .toList();
        }
    }

    /** Each version of flyway_schema_history with its number of rows, failed ones included. */
    private static Map<String, Integer> appliedMigrations(int pgPort) throws Exception {
        Map<String, Integer> applied = new HashMap<>();
        try (Connection connection = connect(pgPort);
                Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT version, count(*) FROM flyway_schema_history"
                        + " WHERE version IS NOT NULL GROUP BY version")) {
            while (rows.next()) {
                applied.put(rows.getString(1), rows.getInt(2));
            }
        }
        return applied;
    }

    private static int count(int pgPort, String sql) throws Exception {
        try (Connection connection = connect(pgPort);
                Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static Connection connect(int pgPort) throws Exception {
        Properties credentials = new Properties();
        credentials.setProperty("user", "postgres");
        credentials.setProperty("password", "postgres");
        return new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", credentials);
    }
}
