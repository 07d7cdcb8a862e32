package dev.workcell.controlplane.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** The database of the application under a @QuarkusTest, over JDBC: to read what a test cannot see through the API, or to inject a fault. */
public final class AppDatabase {

    private AppDatabase() {}

    public static void execute(String sql) throws SQLException {
        try (Connection connection = connect();
                var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The single number a query with one text parameter answers, e.g. a count. */
    public static long number(String sql, String parameter) throws SQLException {
        try (Connection connection = connect();
                var statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * Makes every audit row inserted for this subject fail until the returned handle is closed: a
     * change that must commit with its audit row then commits nothing.
     */
    public static AutoCloseable refuseAuditRowsOf(String subjectPattern, String name) throws SQLException {
        execute("""
                CREATE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit refused for the test'; END $$;
                CREATE TRIGGER %1$s BEFORE INSERT ON audit_events FOR EACH ROW
                WHEN (NEW.subject LIKE '%2$s' OR NEW.detail LIKE '%2$s') EXECUTE FUNCTION %1$s();""".formatted(name, subjectPattern));
        return () -> execute("DROP TRIGGER %1$s ON audit_events; DROP FUNCTION %1$s();".formatted(name));
    }

    private static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }
}
