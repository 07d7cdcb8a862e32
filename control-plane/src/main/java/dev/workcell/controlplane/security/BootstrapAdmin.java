package dev.workcell.controlplane.security;

import dev.workcell.controlplane.config.WorkcellConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * The first admin of a fresh install: the secret in {@code workcell.auth.bootstrap-admin-token}
 * (env WORKCELL_AUTH_BOOTSTRAP_ADMIN_TOKEN) becomes the admin token "t-bootstrap", with which an
 * operator creates the real tokens (and may then revoke it).
 */
@ApplicationScoped
public class BootstrapAdmin {

    static final int MIN_LENGTH = 32;

    void onStart(@Observes StartupEvent event, WorkcellConfig config, ClientTokens tokens) {
        config.auth().bootstrapAdminToken().ifPresent(secret -> {
            if (secret.length() < MIN_LENGTH) {
                throw new IllegalStateException("workcell.auth.bootstrap-admin-token must be at least " + MIN_LENGTH
                        + " characters of random text (e.g. openssl rand -hex 32)");
            }
            tokens.bootstrap(secret).await().atMost(Duration.ofSeconds(30));
            Log.info("bootstrap admin token t-bootstrap is set from workcell.auth.bootstrap-admin-token");
        });
    }
}
