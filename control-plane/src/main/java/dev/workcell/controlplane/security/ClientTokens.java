package dev.workcell.controlplane.security;

import dev.workcell.controlplane.action.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** API tokens of clients: created by an admin (the secret is shown once), listed without secrets, revoked. */
@ApplicationScoped
public class ClientTokens {

    /** A token as listed: never its secret. */
    public record Token(String id, String name, String role, String createdBy, OffsetDateTime createdAt,
                        OffsetDateTime expiresAt, OffsetDateTime revokedAt) {
    }

    /** A token just created, with its secret. */
    public record Created(Token token, String secret) {
    }

    private final Pool pool;
    private final Audit audit;

    public ClientTokens(Pool pool, Audit audit) {
        this.pool = pool;
        this.audit = audit;
    }

    /** @param lifetime zero for a token that does not expire */
    public Uni<Created> create(String name, String role, Duration lifetime, Caller by) {
        String secret = Secrets.newSecret(Secrets.CLIENT_TOKEN);
        return pool.preparedQuery("""
                        INSERT INTO api_tokens (id, name, role, secret_hash, created_by, expires_at)
                        VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 = 0 THEN NULL ELSE now() + $6 * interval '1 second' END)
                        RETURNING *""")
                .execute(Tuple.of(Secrets.newId("t-"), name, role, Secrets.hash(secret), by.id(), lifetime.toSeconds()))
                .map(rows -> new Created(token(rows.iterator().next()), secret))
                .call(created -> audit.record(by.describe(), "token.created", created.token().id(),
                        "name " + name + ", role " + role));
    }

    public Uni<List<Token>> list() {
        return pool.query("SELECT * FROM api_tokens ORDER BY created_at").execute().map(rows -> {
            List<Token> tokens = new ArrayList<>();
            rows.forEach(row -> tokens.add(token(row)));
            return tokens;
        });
    }

    public Uni<Token> revoke(String id, Caller by) {
        return pool.preparedQuery("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new NotFoundException("no token " + id);
                    }
                    return token(rows.iterator().next());
                })
                .call(token -> audit.record(by.describe(), "token.revoked", id, "name " + token.name()));
    }

    /** Makes the operator's bootstrap secret an admin token, so that a fresh install can create the others. */
    public Uni<Void> bootstrap(String secret) {
        return pool.preparedQuery("""
                        INSERT INTO api_tokens (id, name, role, secret_hash, created_by) VALUES ('t-bootstrap', 'bootstrap', 'admin', $1, 'config')
                        ON CONFLICT (id) DO UPDATE SET secret_hash = excluded.secret_hash, revoked_at = NULL
                        WHERE api_tokens.secret_hash <> excluded.secret_hash""")
                .execute(Tuple.of(Secrets.hash(secret)))
                .replaceWithVoid();
    }

    private static Token token(Row row) {
        return new Token(row.getString("id"), row.getString("name"), row.getString("role"), row.getString("created_by"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("expires_at"), row.getOffsetDateTime("revoked_at"));
    }
}
