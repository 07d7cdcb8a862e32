package dev.workcell.cli.output;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times and durations as short text: ages ("5m"), elapsed times ("1m04s"), instants (UTC, to the second). */
public final class Times {

    private Times() {}

    public static boolean isSet(Timestamp timestamp) {
        return timestamp.getSeconds() != 0 || timestamp.getNanos() != 0;
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    /** "2026-11-28T10:00:05Z", or "" when unset. */
    public static String at(Timestamp timestamp) {
        return isSet(timestamp)
                ? instant(timestamp).truncatedTo(ChronoUnit.SECONDS).toString()
                : "";
    }

    /** How long ago: "12s", "5m", "3h", "2d"; "" when unset. */
    public static String age(Timestamp timestamp, Instant now) {
        if (!isSet(timestamp)) {
            return "";
        }
        long seconds = Math.max(0, Duration.between(instant(timestamp), now).toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 7200) {
            return seconds / 60 + "m";
        }
        return seconds < 172800 ? seconds / 3600 + "h" : seconds / 86400 + "d";
    }

    /** "0.4s", "12.0s", "3m04s", "2h05m". */
    public static String elapsed(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 60_000) {
            return String.format("%d.%ds", millis / 1000, millis % 1000 / 100);
        }
        long seconds = millis / 1000;
        return seconds < 3600
                ? String.format("%dm%02ds", seconds / 60, seconds % 60)
                : String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
