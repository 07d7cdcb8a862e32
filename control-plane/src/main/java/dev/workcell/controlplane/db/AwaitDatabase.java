package dev.workcell.controlplane.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Waits, before Quarkus starts (Flyway migrates at start-up), until PostgreSQL accepts a login, so
 * that a control plane started before its database comes up by itself: it tries again with a
 * growing delay and says at each attempt what it waits for and why it could not connect.
 */
final class AwaitDatabase {

    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private final String address;
    private final String user;
    private final String password;

    /** @param address host:port/database, as in WORKCELL_DB */
    AwaitDatabase(String address, String user, String password) {
        this.address = address;
        this.user = user;
        this.password = password;
    }

    void await() throws InterruptedException {
        Duration delay = FIRST_DELAY;
        for (int attempt = 1; ; attempt++) {
            try (Connection ignored = connect()) {
                if (attempt > 1) {
                    log("INFO", "PostgreSQL at %s is up after %d attempts".formatted(address, attempt));
                }
                return;
            } catch (SQLException e) {
                log(
                        "WARN",
                        "waiting for PostgreSQL at %s (user %s): %s; next attempt (%d) in %d ms"
                                .formatted(address, user, e.getMessage(), attempt + 1, delay.toMillis()));
            }
            Thread.sleep(delay.toMillis());
            delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
        }
    }

    /** Quarkus' logging is not set up yet: a line in the shape of its console log. */
    private static void log(String level, String message) {
        System.err.printf(
                "%s %-5s [dev.wor.con.db.AwaitDatabase] (main) %s%n", TIME.format(LocalDateTime.now()), level, message);
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("ApplicationName", "workcell start-up check");
        Connection connection = new Driver().connect("jdbc:postgresql://" + address, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL address: " + address);
        }
        return connection;
    }
}
