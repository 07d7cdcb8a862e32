package dev.workcell.controlplane.security;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An enrollment token as stored: the SHA-256 of its secret, never the secret. */
@Entity
@Table(name = "enrollment_tokens")
public class EnrollmentToken extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    @Column(nullable = false)
    public String pool;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] labels;

    @Column(nullable = false)
    public boolean reusable;

    @Column(nullable = false)
    public int uses;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    EnrollmentTokens.Token view() {
        return new EnrollmentTokens.Token(
                id, pool, List.of(labels), reusable, uses, createdBy, createdAt, expiresAt, revokedAt);
    }
}
