package dev.workcell.controlplane.security;

import dev.workcell.controlplane.db.DatabaseTime;
import dev.workcell.controlplane.errors.NotFoundException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Enrollment tokens: what an operator gives to the agents of a pool so that each can get its own
 * credential. A creation or revocation commits in one transaction with its audit row.
 */
@ApplicationScoped
public class EnrollmentTokens {

    /** An enrollment token as listed: never its secret. */
    public record Token(
            String id,
            String pool,
            List<String> labels,
            boolean reusable,
            int uses,
            String createdBy,
            OffsetDateTime createdAt,
            OffsetDateTime expiresAt,
            OffsetDateTime revokedAt) {}

    /** A token just created, with its secret. */
    public record Created(Token token, String secret) {}

    public Uni<Created> create(String agentPool, List<String> labels, boolean reusable, Duration lifetime, Caller by) {
        String secret = Secrets.newSecret(Secrets.ENROLLMENT_TOKEN);
        EnrollmentToken token = new EnrollmentToken();
        token.id = Secrets.newId("e-");
        token.secretHash = Secrets.hash(secret);
        token.pool = agentPool;
        token.labels = labels.toArray(String[]::new);
        token.reusable = reusable;
        token.createdBy = by.id();
        return Panache.withTransaction(() -> created(token, lifetime)
                        .persist()
                        .call(() -> AuditEvent.of(
                                        by.describe(),
                                        "enrollment-token.created",
                                        token.id,
                                        "pool " + agentPool + ", labels " + labels
                                                + (reusable ? ", reusable" : ", single use") + ", expires "
                                                + token.expiresAt)
                                .persist()))
                .replaceWith(() -> new Created(token.view(), secret));
    }

    /** Dates the token in its transaction, so that a short lifetime is not spent waiting for a connection. */
    private static EnrollmentToken created(EnrollmentToken token, Duration lifetime) {
        token.createdAt = DatabaseTime.now();
        token.expiresAt = token.createdAt.plus(lifetime);
        return token;
    }

    public Uni<List<Token>> list() {
        return Panache.withSession(() -> EnrollmentToken.<EnrollmentToken>list("order by createdAt"))
                .map(tokens -> tokens.stream().map(EnrollmentToken::view).toList());
    }

    /** Revokes a token (revoking it again keeps the first time, and is audited again). */
    public Uni<Token> revoke(String id, Caller by) {
        return Panache.withTransaction(() -> EnrollmentToken.<EnrollmentToken>findById(id)
                .map(token -> {
                    if (token == null) {
                        throw new NotFoundException("no enrollment token " + id);
                    }
                    if (token.revokedAt == null) {
                        token.revokedAt = DatabaseTime.now();
                    }
                    return token;
                })
                .call(token -> AuditEvent.of(by.describe(), "enrollment-token.revoked", id, "pool " + token.pool)
                        .persist())
                .map(EnrollmentToken::view));
    }
}
