package dev.workcell.controlplane.db;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/**
 * Entry point: starts an embedded PostgreSQL when no database is configured, else waits until the
 * configured one accepts a login, then starts the control plane. Runs before Quarkus reads its
 * runtime configuration, so the database address can still be set.
 */
@QuarkusMain
public class WorkcellMain {

    public static void main(String... args) throws IOException, InterruptedException {
        if (setting("WORKCELL_DB", null) == null) {
            startEmbeddedPostgres();
        } else {
            // The same settings and defaults as quarkus.datasource.* in application.properties.
            new AwaitDatabase(
                            setting("WORKCELL_DB", null),
                            setting("WORKCELL_DB_USER", "workcell"),
                            setting("WORKCELL_DB_PASSWORD", "workcell"))
                    .await();
        }
        Quarkus.run(args);
    }

    private static String setting(String name, String otherwise) {
        return System.getProperty(name, System.getenv().getOrDefault(name, otherwise));
    }

    private static void startEmbeddedPostgres() throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres)));
        System.setProperty("WORKCELL_DB", "127.0.0.1:" + postgres.getPort() + "/postgres");
        System.setProperty("WORKCELL_DB_USER", "postgres");
        System.setProperty("WORKCELL_DB_PASSWORD", "postgres");
        // One replica alone: no Service to leave, no replica to hand agents to, and the database stops with it.
        System.setProperty("quarkus.shutdown.delay", "0s");
        Log.infof(
                "WORKCELL_DB is not set: started an embedded PostgreSQL on port %d (its data is discarded on exit)",
                postgres.getPort());
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("could not stop the embedded PostgreSQL: " + e.getMessage());
        }
    }
}
