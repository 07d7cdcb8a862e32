package dev.workcell.cli.action;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.workcell.cli.DurationConverter;
import java.text.ParseException;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --since: an RFC 3339 time ("2026-11-28T10:00:00Z") or how long ago ("2h", "30m", "1d"). */
public final class SinceConverter implements ITypeConverter<Timestamp> {

    @Override
    public Timestamp convert(String value) {
        if (value.contains("T")) {
            try {
                return Timestamps.parse(value);
            } catch (ParseException e) {
                throw new TypeConversionException("'" + value + "' is not an RFC 3339 time, e.g. 2026-11-28T10:00:00Z");
            }
        }
        Instant since = Instant.now().minus(new DurationConverter().convert(value));
        return Timestamp.newBuilder()
                .setSeconds(since.getEpochSecond())
                .setNanos(since.getNano())
                .build();
    }
}
