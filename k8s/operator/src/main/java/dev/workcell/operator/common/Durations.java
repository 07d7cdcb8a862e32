package dev.workcell.operator.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the CRDs write them ({@link Names#DURATION}: 30s, 5m, 1h30m, 500ms). */
public final class Durations {

    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {}

    /** The duration, or {@code otherwise} when the text is null. The CRD's pattern has refused anything else. */
    public static Duration parse(String text, Duration otherwise) {
        if (text == null) {
            return otherwise;
        }
        if (!text.matches(Names.DURATION)) {
            throw new IllegalArgumentException("not a duration such as 30s, 5m or 1h30m: '" + text + "'");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(
                    switch (part.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        default -> Duration.ofHours(amount);
                    });
        }
        return total;
    }

    /** Whole seconds, as a status shows an age: 42s. */
    public static String seconds(double seconds) {
        return Math.round(seconds) + "s";
    }
}
