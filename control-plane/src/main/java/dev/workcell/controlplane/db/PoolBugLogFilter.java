package dev.workcell.controlplane.db;

import io.quarkus.logging.LoggingFilter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Logs the "Result is already complete" error of the reactive PostgreSQL pool once, then at most
 * once a minute with the number left out. It is a known, harmless bug of vertx-sql-client
 * (eclipse-vertx/vertx-sql-client#1706: the pool's wait timer is not cancelled when connecting
 * fails), which otherwise prints one stack trace per failed query after the database went away.
 */
@LoggingFilter(name = "pool-bug")
public final class PoolBugLogFilter implements Filter {

    static final String SIGNATURE = "Result is already complete";
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong leftOut = new AtomicLong();
    private final AtomicLong nextReport = new AtomicLong(Long.MIN_VALUE);

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!isPoolBug(record.getThrown())) {
            return true;
        }
        long now = System.nanoTime();
        long due = nextReport.get();
        if (due != Long.MIN_VALUE && now - due < 0 || !nextReport.compareAndSet(due, now + REPORT_INTERVAL_NANOS)) {
            leftOut.incrementAndGet();
            return false;
        }
        long count = leftOut.getAndSet(0);
        String known =
                " [known vertx-sql-client bug #1706 after a lost database connection; logged at most once a minute"
                        + (count > 0 ? ", " + count + " left out since the last one]" : "]");
        record.setMessage(record.getMessage() + known);
        if (due != Long.MIN_VALUE) {
            record.setThrown(null);
        }
        return true;
    }

    private static boolean isPoolBug(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IllegalStateException && SIGNATURE.equals(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
