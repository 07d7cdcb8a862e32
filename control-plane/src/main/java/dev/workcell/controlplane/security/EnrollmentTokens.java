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
import java.util.Arrays;
import java.util.List;

/** Enrollment tokens: what an operator gives to the agents of a pool so that each can get its own credential. */
@ApplicationScoped
public class EnrollmentTokens {

    /** An enrollment token as listed: never its secret. */
    public record Token(String id, String pool, List<String> labels, boolean reusable, int uses, String createdBy,
                        OffsetDateTime createdAt, OffsetDateTime expiresAt, OffsetDateTime revokedAt) {
    }

    /** A token just created, with its secret. */
    public record Created(Token token, String secret) {
    }

    private final Pool pool;
    private final Audit audit;

    public EnrollmentTokens(Pool pool, Audit audit) {
        this.pool = pool;
        this.audit = audit;
    }

    public Uni<Created> create(String agentPool, List<String> labels, boolean reusable, Duration lifetime, Caller by) {
        String secret = Secrets.newSecret(Secrets.ENROLLMENT_TOKEN);
        return pool.preparedQuery("""
                        INSERT INTO enrollment_tokens (id, secret_hash, pool, labels, reusable, created_by, expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 second')
                        RETURNING *""")
                .execute(Tuple.tuple().addString(Secrets.newId("e-")).addString(Secrets.hash(secret)).addString(agentPool)
                        .addArrayOfString(labels.toArray(String[]::new)).addBoolean(reusable).addString(by.id())
                        .addLong(lifetime.toSeconds()))
                .map(rows -> new Created(token(rows.iterator().next()), secret))
                .call(created -> audit.record(by.describe(), "enrollment-token.created", created.token().id(),
                        "pool " + agentPool + ", labels " + labels + (reusable ? ", reusable" : ", single use")
                                + ", expires " + created.token().expiresAt()));
    }

    public Uni<List<Token>> list() {
        return pool.query("SELECT * FROM enrollment_tokens ORDER BY created_at").execute().map(rows -> {
            List<Token> tokens = new ArrayList<>();
            rows.forEach(row -> tokens.add(token(row)));
            return tokens;
        });
    }

    public Uni<Token> revoke(String id, Caller by) {
        return pool.preparedQuery("UPDATE enrollment_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new NotFoundException("no enrollment token " + id);
                    }
                    return token(rows.iterator().next());
                })
                .call(token -> audit.record(by.describe(), "enrollment-token.revoked", id, "pool " + token.pool()));
    }

    private static Token token(Row row) {
        return new Token(row.getString("id"), row.getString("pool"), Arrays.asList(row.getArrayOfStrings("labels")),
                row.getBoolean("reusable"), row.getInteger("uses"), row.getString("created_by"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("expires_at"), row.getOffsetDateTime("revoked_at"));
    }
}
