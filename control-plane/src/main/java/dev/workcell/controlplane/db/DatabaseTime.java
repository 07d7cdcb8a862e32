package dev.workcell.controlplane.db;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/** Times written from Java at PostgreSQL's precision, so that what a write answers equals what a later read gives. */
public final class DatabaseTime {

    private DatabaseTime() {}

    /** Now, in microseconds (timestamptz keeps no nanoseconds). */
    public static OffsetDateTime now() {
        return OffsetDateTime.now().truncatedTo(ChronoUnit.MICROS);
    }
}
