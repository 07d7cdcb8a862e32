package dev.workcell.controlplane.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The tests' PostgreSQL: the one named by WORKCELL_DB when it is set (CI), an embedded one otherwise. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres embedded;

    @Override
    public Map<String, String> start() {
        if (System.getenv("WORKCELL_DB") != null) {
            return Map.of();
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
        return Map.of(
                "WORKCELL_DB",
                "127.0.0.1:" + embedded.getPort() + "/postgres",
                "WORKCELL_DB_USER",
                "postgres",
                "WORKCELL_DB_PASSWORD",
                "postgres");
    }

    /** Starts the database and returns the environment a child control-plane process needs to use it. */
    public Map<String, String> startForProcesses() {
        Map<String, String> embedded = start();
        return embedded.isEmpty()
                ? Map.of(
                        "WORKCELL_DB",
                        System.getenv("WORKCELL_DB"),
                        "WORKCELL_DB_USER",
                        System.getenv().getOrDefault("WORKCELL_DB_USER", "workcell"),
                        "WORKCELL_DB_PASSWORD",
                        System.getenv().getOrDefault("WORKCELL_DB_PASSWORD", "workcell"))
                : embedded;
    }

    @Override
    public void stop() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
