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
        return Map.of("WORKCELL_DB", "127.0.0.1:" + embedded.getPort() + "/postgres",
                "WORKCELL_DB_USER", "postgres",
                "WORKCELL_DB_PASSWORD", "postgres");
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
