package dev.workcell.controlplane.db;

import com.google.protobuf.Timestamp;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Times written from Java at PostgreSQL's precision, so that what a write answers equals what a later read gives;
 * and times read from PostgreSQL as the API gives them.
 */
public final class DatabaseTime {

    private DatabaseTime() {}

    /** Now, in microseconds (timestamptz keeps no nanoseconds). */
    public static OffsetDateTime now() {
        return OffsetDateTime.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** A time read from the database, as a protobuf Timestamp. */
    public static Timestamp toProto(OffsetDateTime time) {
        return Timestamp.newBuilder()
                .setSeconds(time.toEpochSecond())
                .setNanos(time.getNano())
                .build();
    }
}
