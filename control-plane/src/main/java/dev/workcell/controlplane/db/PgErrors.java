package dev.workcell.controlplane.db;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/** What a PostgreSQL failure means to the caller. */
public final class PgErrors {

    /** Seconds a client is asked to wait (Retry-After) when the database is unreachable. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private PgErrors() {}

    /** A unique index refused the row: someone else wrote it first (anywhere in the cause chain, as Hibernate wraps it). */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database cannot be reached or is shutting down (connection refused or closed, SQLSTATE
     * classes 08 and 57P, too many connections), anywhere in the cause chain: the request may
     * succeed later, so the caller hears 503 / UNAVAILABLE, not an internal error.
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException
                    || cause instanceof ClosedConnectionException
                    || cause instanceof ClosedChannelException
                    || cause instanceof TimeoutException
                    || cause instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
            if (cause instanceof PgException pg
                    && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08")
                            || pg.getSqlState().startsWith("57P")
                            || pg.getSqlState().equals("53300"))) {
                return true;
            }
        }
        return false;
    }
}
