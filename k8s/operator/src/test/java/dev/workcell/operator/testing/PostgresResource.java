package dev.workcell.operator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL for the Workcells of the operator's tests (user and password postgres): the
 * operator logs into it as a control plane would. Always an embedded one, so that the tests may
 * create databases and migrate them without touching a shared server.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String PORT_PROPERTY = "workcell.test.postgres-port";

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
        return Map.of(PORT_PROPERTY, Integer.toString(postgres.getPort()));
    }

    @Override
    public void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
