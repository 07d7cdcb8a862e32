package dev.workcell.controlplane.security;

import dev.workcell.controlplane.db.DatabaseTime;
import dev.workcell.controlplane.errors.NotFoundException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * API tokens of clients: created by an admin (the secret is shown once), listed without secrets,
 * revoked. A creation or revocation commits in one transaction with its audit row.
 */
@ApplicationScoped
public class ClientTokens {

    /** A token as listed: never its secret. */
    public record Token(
            String id,
            String name,
            String role,
            String createdBy,
            OffsetDateTime createdAt,
            OffsetDateTime expiresAt,
            OffsetDateTime revokedAt) {}

    /** A token just created, with its secret. */
    public record Created(Token token, String secret) {}

    private final Pool pool;

    public ClientTokens(Pool pool) {
        this.pool = pool;
    }

    /** @param lifetime zero for a token that does not expire */
    public Uni<Created> create(String name, String role, Duration lifetime, Caller by) {
        String secret = Secrets.newSecret(Secrets.CLIENT_TOKEN);
        ApiToken token = new ApiToken();
        token.id = Secrets.newId("t-");
        token.name = name;
        token.role = role;
        token.secretHash = Secrets.hash(secret);
        token.createdBy = by.id();
        return Panache.withTransaction(() -> created(token, lifetime)
                        .persist()
                        .call(() -> AuditEvent.of(
                                        by.describe(), "token.created", token.id, "name " + name + ", role " + role)
                                .persist()))
                .replaceWith(() -> new Created(token.view(), secret));
    }

    /** Dates the token in its transaction, so that a short lifetime is not spent waiting for a connection. */
    private static ApiToken created(ApiToken token, Duration lifetime) {
        token.createdAt = DatabaseTime.now();
        token.expiresAt = lifetime.isZero() ? null : token.createdAt.plus(lifetime);
        return token;
    }

    public Uni<List<Token>> list() {
        return Panache.withSession(() -> ApiToken.<ApiToken>list("order by createdAt"))
                .map(tokens -> tokens.stream().map(ApiToken::view).toList());
    }

    /** Revokes a token (revoking it again keeps the first time, and is audited again). */
    public Uni<Token> revoke(String id, Caller by) {
        return Panache.withTransaction(() -> ApiToken.<ApiToken>findById(id)
                .map(token -> {
                    if (token == null) {
                        throw new NotFoundException("no token " + id);
                    }
                    if (token.revokedAt == null) {
                        token.revokedAt = DatabaseTime.now();
                    }
                    return token;
                })
                .call(token -> AuditEvent.of(by.describe(), "token.revoked", id, "name " + token.name)
                        .persist())
                .map(ApiToken::view));
    }

    /**
     * Makes the operator's bootstrap secret an admin token, so that a fresh install can create the
     * others. At start-up, on the SQL client (no Vert.x context for a Panache session there).
     */
    public Uni<Void> bootstrap(String secret) {
        return pool.preparedQuery("""
                        INSERT INTO api_tokens (id, name, role, secret_hash, created_by) VALUES ('t-bootstrap', 'bootstrap', 'admin', $1, 'config')
                        ON CONFLICT (id) DO UPDATE SET secret_hash = excluded.secret_hash, revoked_at = NULL
                        WHERE api_tokens.secret_hash <> excluded.secret_hash""").execute(Tuple.of(Secrets.hash(secret))).replaceWithVoid();
    }
}
