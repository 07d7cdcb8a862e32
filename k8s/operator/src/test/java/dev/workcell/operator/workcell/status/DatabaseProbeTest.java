package dev.workcell.operator.workcell.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.operator.common.ConfigSource;
import dev.workcell.operator.common.PodReferences.Kind;
import dev.workcell.operator.testing.TestWorkcells;
import dev.workcell.operator.workcell.DatabaseSpec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's own login to a Workcell's database, against a real PostgreSQL whose host
 * connections need a password (as a production server's do) and whose schema a real Flyway migrated.
 */
class DatabaseProbeTest {

    private static final String PASSWORD = "s3cret-Pa55";
    private static EmbeddedPostgres postgres;

    private final DatabaseProbe probe = new DatabaseProbe(Duration.ofSeconds(2));

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE ROLE workcell LOGIN PASSWORD '" + PASSWORD + "'");
            sql.execute("CREATE DATABASE migrated OWNER workcell");
            sql.execute("CREATE DATABASE empty OWNER workcell");
            // Password logins for everyone but the superuser the test itself uses.
            sql.execute(
                    "COPY (SELECT line FROM (VALUES (1, 'local all all trust'), (2, 'host all postgres 127.0.0.1/32 trust'),"
                            + " (3, 'host all all 127.0.0.1/32 scram-sha-256')) AS hba(n, line) ORDER BY n)"
                            + " TO '" + hbaFile(sql) + "'");
            sql.execute("SELECT pg_reload_conf()");
        }
        Flyway.configure()
                .dataSource("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/migrated", "workcell", PASSWORD)
                .locations("classpath:db/probe")
                .load()
                .migrate();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Test
    void aReachableDatabaseIsReadyWithTheSchemaVersionFlywayRecorded() {
        DatabaseState state = probe.check(database("migrated", postgres.getPort()), credentials(PASSWORD));
        assertThat(state.ready()).isTrue();
        assertThat(state.reason()).isEqualTo("Connected");
        assertThat(state.schemaVersion()).isEqualTo("2");
        assertThat(state.message()).contains("accepts user workcell; schema version 2");
    }

    @Test
    void aDatabaseNotMigratedYetIsReadyWithoutASchemaVersion() {
        DatabaseState state = probe.check(database("empty", postgres.getPort()), credentials(PASSWORD));
        assertThat(state.ready()).isTrue();
        assertThat(state.schemaVersion()).isNull();
        assertThat(state.message()).contains("schema version none yet");
    }

    @Test
    void aWrongPasswordIsALoginFailureThatDoesNotShowThePassword() {
        DatabaseState state = probe.check(database("migrated", postgres.getPort()), credentials("not-the-password"));
        assertThat(state.ready()).isFalse();
        assertThat(state.reason()).isEqualTo("DatabaseLoginFailed");
        assertThat(state.message()).contains("refused user workcell").doesNotContain("not-the-password");
    }

    @Test
    void aMissingDatabaseIsNamed() {
        DatabaseState state = probe.check(database("nonexistent", postgres.getPort()), credentials(PASSWORD));
        assertThat(state.reason()).isEqualTo("DatabaseMissing");
        assertThat(state.message()).contains("nonexistent");
    }

    @Test
    void aClosedPortAndAnUnknownHostAreUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DatabaseState closed = probe.check(database("migrated", closedPort), credentials(PASSWORD));
        assertThat(closed.reason()).isEqualTo("DatabaseUnreachable");
        assertThat(closed.message()).contains("PostgreSQL 127.0.0.1:" + closedPort + "/migrated does not answer");

        DatabaseSpec unknownHost = TestWorkcells.database("db", "no-such-host.invalid", 5432, "migrated");
        DatabaseState unknown = probe.check(unknownHost, credentials(PASSWORD));
        assertThat(unknown.reason()).isEqualTo("DatabaseUnreachable");
        assertThat(unknown.message()).contains("no-such-host.invalid");
    }

    @Test
    void missingCredentialsAreNotTried() {
        ConfigSource none = (kind, name) -> Optional.empty();
        DatabaseState state = probe.check(database("migrated", postgres.getPort()), none);
        assertThat(state.reason()).isEqualTo("CredentialsMissing");
    }

    private static DatabaseSpec database(String name, int port) {
        return TestWorkcells.database("db", "127.0.0.1", port, name);
    }

    private static ConfigSource credentials(String password) {
        Map<String, String> data =
                Map.of("username", TestWorkcells.base64("workcell"), "password", TestWorkcells.base64(password));
        return (kind, name) -> kind == Kind.Secret && name.equals("db-db") ? Optional.of(data) : Optional.empty();
    }

    private static String hbaFile(Statement sql) throws SQLException {
        try (var rows = sql.executeQuery("SHOW hba_file")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
