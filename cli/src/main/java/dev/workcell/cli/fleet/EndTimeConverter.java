package dev.workcell.cli.fleet;

import dev.workcell.cli.DurationConverter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An end time: an ISO-8601 date-time with offset ("2030-01-01T12:00:00Z"), or a duration from now ("2h", "1d"). */
public final class EndTimeConverter implements ITypeConverter<OffsetDateTime> {

    @Override
    public OffsetDateTime convert(String value) {
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException notADateTime) {
            try {
                return OffsetDateTime.now(ZoneOffset.UTC).plus(new DurationConverter().convert(value));
            } catch (TypeConversionException notADuration) {
                throw new TypeConversionException(
                        "'" + value + "' is neither a date-time (2030-01-01T12:00:00Z) nor a duration (2h, 1d)");
            }
        }
    }
}
