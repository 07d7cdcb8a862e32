package dev.workcell.controlplane.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PoolBugLogFilterTest {

    private static LogRecord poolBug() {
        LogRecord record = new LogRecord(Level.SEVERE, "Unhandled exception");
        record.setThrown(new IllegalStateException(PoolBugLogFilter.SIGNATURE));
        return record;
    }

    @Test
    void thePoolBugIsLoggedOnceWithItsStackTraceAndTheRepeatsAreCountedNotLogged() {
        PoolBugLogFilter filter = new PoolBugLogFilter();
        LogRecord first = poolBug();

        boolean firstLogged = filter.isLoggable(first);
        long repeatsLogged = IntStream.range(0, 500)
                .filter(i -> filter.isLoggable(poolBug()))
                .count();

        assertThat(firstLogged).isTrue();
        assertThat(first.getThrown()).isNotNull();
        assertThat(first.getMessage()).contains("vertx-sql-client bug #1706", "at most once a minute");
        assertThat(repeatsLogged).isZero();
    }

    @Test
    void otherRecordsPassUntouched() {
        PoolBugLogFilter filter = new PoolBugLogFilter();
        filter.isLoggable(poolBug());
        LogRecord other = new LogRecord(Level.SEVERE, "something else");
        other.setThrown(new IllegalStateException("another state"));

        assertThat(filter.isLoggable(other)).isTrue();
        assertThat(filter.isLoggable(new LogRecord(Level.INFO, "plain"))).isTrue();
        assertThat(other.getMessage()).isEqualTo("something else");
    }
}
