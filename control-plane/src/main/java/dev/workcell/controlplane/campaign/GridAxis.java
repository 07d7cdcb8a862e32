package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.errors.InvalidRequestException;
import java.util.Arrays;
import java.util.Locale;

/** What a row or a column of a campaign's grid stands for. */
public enum GridAxis {
    /** The package under test. */
    SUBJECT,
    /** The model of the device the trace ran on (its follow-ups count under it too). */
    MODEL,
    /** TRACE, REPLAY or REPORT. */
    OPERATION,
    /** A subject label's value, for the label key the request names. */
    LABEL;

    public String param() {
        return name().toLowerCase(Locale.ROOT);
    }

    static GridAxis parse(String field, String value, GridAxis fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return Arrays.stream(values())
                .filter(axis -> axis.param().equalsIgnoreCase(value.strip()))
                .findFirst()
                .orElseThrow(() -> new InvalidRequestException(
                        field, "one of subject, model, operation, label; got '" + value + "'"));
    }
}
