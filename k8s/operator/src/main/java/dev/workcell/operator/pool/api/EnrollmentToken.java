package dev.workcell.operator.pool.api;

import java.time.Instant;

/** An enrollment token just created: its id, when it expires, and its secret (shown this once; never logged). */
public record EnrollmentToken(String id, Instant expiresAt, String secret) {

    @Override
    public String toString() {
        return "EnrollmentToken[" + id + ", expires " + expiresAt + "]";
    }
}
