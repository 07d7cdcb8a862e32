package dev.workcell.operator.workcell.status;

import dev.workcell.operator.common.ConfigSource;
import dev.workcell.operator.common.PodReferences.Kind;
import dev.workcell.operator.common.SecretKeyRef;
import dev.workcell.operator.config.OperatorConfig;
import dev.workcell.operator.workcell.DatabaseSpec;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Logs into a Workcell's PostgreSQL with the Workcell's own credentials, as its pods will, and reads
 * the schema version Flyway recorded. The answer says what a person can fix: the host does not
 * resolve or answer, the password is refused, the database does not exist. The password is read
 * from the Secret for the login only and is never logged or kept.
 */
@Singleton
public class DatabaseProbe {

    private static final String HAS_HISTORY = "SELECT to_regclass('flyway_schema_history') IS NOT NULL";
    private static final String SCHEMA_VERSION =
            "SELECT version FROM flyway_schema_history WHERE success" + " ORDER BY installed_rank DESC LIMIT 1";

    private final int timeoutSeconds;

    @Inject
    public DatabaseProbe(OperatorConfig config) {
        this(config.databaseCheckTimeout());
    }

    /** @param timeout for the connection and the login each (at least a second) */
    public DatabaseProbe(Duration timeout) {
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    public DatabaseState check(DatabaseSpec database, ConfigSource secrets) {
        Optional<String> user = read(database.user(), secrets);
        Optional<String> password = read(database.password(), secrets);
        if (user.isEmpty() || password.isEmpty()) {
            return DatabaseState.credentialsMissing("the user or password Secret key is missing");
        }
        String where = "PostgreSQL " + database.address().replaceFirst("\\?.*", "");
        Properties properties = new Properties();
        properties.setProperty("user", user.get());
        properties.setProperty("password", password.get());
        properties.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        properties.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        properties.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
        properties.setProperty("ApplicationName", "workcell-operator");
        try (Connection connection = new Driver().connect("jdbc:postgresql://" + database.address(), properties)) {
            String schemaVersion = schemaVersion(connection);
            return new DatabaseState(
                    true,
                    "Connected",
                    where + " accepts user " + user.get() + "; schema version "
                            + (schemaVersion == null
                                    ? "none yet (the control plane migrates it at start-up)"
                                    : schemaVersion),
                    schemaVersion);
        } catch (SQLException e) {
            return failure(where, user.get(), e);
        }
    }

    /** Flyway's latest applied version; asked only when its table exists, so that the database logs no error every minute. */
    private static String schemaVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(HAS_HISTORY)) {
                if (!exists.next() || !exists.getBoolean(1)) {
                    return null;
                }
            }
            try (ResultSet rows = statement.executeQuery(SCHEMA_VERSION)) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static DatabaseState failure(String where, String user, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("28P01") || state.equals("28000")) {
            return new DatabaseState(
                    false,
                    "DatabaseLoginFailed",
                    where + " refused user " + user + ": check the password Secret against the database ("
                            + e.getMessage() + ")",
                    null);
        }
        if (state.equals("3D000")) {
            return new DatabaseState(false, "DatabaseMissing", where + ": " + e.getMessage(), null);
        }
        if (state.startsWith("08")
                || hasCause(e, UnknownHostException.class)
                || hasCause(e, ConnectException.class)
                || hasCause(e, SocketTimeoutException.class)) {
            return new DatabaseState(false, "DatabaseUnreachable", where + " does not answer: " + rootMessage(e), null);
        }
        return new DatabaseState(false, "DatabaseError", where + ": " + e.getMessage(), null);
    }

    private static Optional<String> read(SecretKeyRef ref, ConfigSource secrets) {
        return secrets.data(Kind.Secret, ref.name())
                .map(data -> data.get(ref.key()))
                .map(value -> new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
