package dev.workcell.controlplane.testing;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The tests' PostgreSQL (see {@link PostgresResource}) for a class of process tests, started
 * before its tests and stopped after them: {@code @RegisterExtension static final ProcessDatabase DATABASE = ...}.
 */
public final class ProcessDatabase implements BeforeAllCallback, AfterAllCallback {

    private final PostgresResource postgres = new PostgresResource();
    private Map<String, String> environment;

    @Override
    public void beforeAll(ExtensionContext context) {
        environment = postgres.startForProcesses();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        postgres.stop();
    }

    /** What a child control-plane process needs to use it: WORKCELL_DB, WORKCELL_DB_USER, WORKCELL_DB_PASSWORD. */
    public Map<String, String> environment() {
        return environment;
    }
}
