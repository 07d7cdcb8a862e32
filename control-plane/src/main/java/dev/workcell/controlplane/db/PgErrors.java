package dev.workcell.controlplane.db;

import io.vertx.pgclient.PgException;

/** What a PostgreSQL failure means to the caller. */
public final class PgErrors {

    private PgErrors() {
    }

    /** A unique index refused the row: someone else wrote it first. */
    public static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
