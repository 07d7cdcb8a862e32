package dev.workcell.controlplane.db;

import io.quarkus.info.runtime.spi.InfoContributor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The "schema" section of /q/info: the latest migration Flyway has applied to the ledger's
 * database. Quarkus asks its contributors once, before Flyway has run, and serves the map it got:
 * this one is filled in at start-up, once the migrations are done.
 */
@ApplicationScoped
public class SchemaInfo implements InfoContributor {

    private final Instance<Flyway> flyway;
    private final Map<String, Object> data = new ConcurrentHashMap<>(Map.of("version", "unknown: still starting"));

    public SchemaInfo(Instance<Flyway> flyway) {
        this.flyway = flyway;
    }

    @Override
    public String name() {
        return "schema";
    }

    @Override
    public Map<String, Object> data() {
        return data;
    }

    void read(@Observes StartupEvent event) {
        MigrationInfo current = flyway.get().info().current();
        data.put("version", current == null ? "none" : current.getVersion().getVersion());
        data.put("description", current == null ? "" : current.getDescription());
    }
}
