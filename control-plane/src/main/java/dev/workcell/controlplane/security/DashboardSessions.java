package dev.workcell.controlplane.security;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Dashboard sign-ins kept on the server: the browser holds only a random session secret, stored
 * here hashed like every other secret. A session lives while it is not expired and the API token
 * it was opened with is neither revoked nor expired; the CSRF token is the session's own.
 */
@ApplicationScoped
public class DashboardSessions {

    /** A session just opened: its secret goes into the cookie, once. */
    public record Opened(String secret, String csrfToken) {}

    /** Who a live session belongs to, and the CSRF token its forms must carry. */
    public record Session(Caller caller, String csrfToken) {}

    private final Pool pool;

    public DashboardSessions(Pool pool) {
        this.pool = pool;
    }

    /** Opens a session for a client token's caller (never an agent's), and drops the expired ones. */
    public Uni<Opened> open(Caller caller, Duration lifetime) {
        Opened opened = new Opened(Secrets.newSecret("wcs_"), Secrets.newSecret(""));
        return pool.query("DELETE FROM dashboard_sessions WHERE expires_at < now()")
                .execute()
                .chain(() -> pool.preparedQuery("""
                                INSERT INTO dashboard_sessions (secret_hash, token_id, csrf_token, expires_at)
                                VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')""")
                        .execute(Tuple.of(
                                Secrets.hash(opened.secret()), caller.id(), opened.csrfToken(), lifetime.toMillis())))
                .replaceWith(opened);
    }

    public Uni<Optional<Session>> find(String secret) {
        return pool.preparedQuery("""
                        SELECT t.id, t.name, t.role, s.csrf_token FROM dashboard_sessions s JOIN api_tokens t ON t.id = s.token_id
                        WHERE s.secret_hash = $1 AND s.expires_at > now()
                          AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())""").execute(Tuple.of(Secrets.hash(secret))).map(rows -> {
            var iterator = rows.iterator();
            return iterator.hasNext() ? Optional.of(session(iterator.next())) : Optional.empty();
        });
    }

    public Uni<Void> close(String secret) {
        return pool.preparedQuery("DELETE FROM dashboard_sessions WHERE secret_hash = $1")
                .execute(Tuple.of(Secrets.hash(secret)))
                .replaceWithVoid();
    }

    private static Session session(Row row) {
        return new Session(
                new Caller(row.getString("id"), row.getString("name"), Roles.grantedBy(row.getString("role")), null),
                row.getString("csrf_token"));
    }
}
