package dev.workcell.operator.pool;

import dev.workcell.operator.pool.api.EnrollmentToken;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret {@code <pool>-enrollment} that the agent pods read their enrollment token from (key
 * {@code token}), owned by the pool. Its annotations say which token it holds and when that token
 * expires, so that the operator replaces it in time without ever reading the secret back.
 */
public final class EnrollmentSecret {

    public static final String KEY = "token";
    public static final String TOKEN_ID = "workcell.dev/enrollment-token-id";
    public static final String EXPIRES_AT = "workcell.dev/enrollment-token-expires-at";

    private EnrollmentSecret() {}

    public static String name(WorkcellAgentPool pool) {
        return pool.getMetadata().getName() + "-enrollment";
    }

    public static Secret of(WorkcellAgentPool pool, EnrollmentToken token) {
        Secret secret = new SecretBuilder()
                .withMetadata(PoolLabels.metadata(pool, name(pool)))
                .editMetadata()
                .withAnnotations(Map.of(
                        TOKEN_ID, token.id(), EXPIRES_AT, token.expiresAt().toString()))
                .endMetadata()
                .withType("Opaque")
                .addToData(
                        KEY, Base64.getEncoder().encodeToString(token.secret().getBytes(StandardCharsets.US_ASCII)))
                .build();
        secret.addOwnerReference(pool);
        return secret;
    }

    /** When the token in this Secret expires; empty for a Secret that is not one of ours (or lacks the annotation). */
    public static Optional<Instant> expiresAt(Secret secret) {
        if (secret == null
                || secret.getMetadata().getAnnotations() == null
                || secret.getData() == null
                || !secret.getData().containsKey(KEY)) {
            return Optional.empty();
        }
        return Optional.ofNullable(secret.getMetadata().getAnnotations().get(EXPIRES_AT))
                .map(Instant::parse);
    }

    /** A new token is needed: none yet, or the one held expires within {@code renewBefore}. */
    public static boolean needsNewToken(Secret secret, Instant now, Duration renewBefore) {
        return expiresAt(secret)
                .map(expiry -> !expiry.isAfter(now.plus(renewBefore)))
                .orElse(true);
    }
}
