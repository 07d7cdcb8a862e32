package dev.workcell.controlplane.web;

import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.proto.v1.Action;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a row or a column of the grid stands for: a target device, a host, or an operation. Actions
 * carry no labels in the ledger (a trace's subject is inside its encoded input), so these are the axes.
 */
public enum GridAxis {
    TARGET("target_id", "target_name", "target", Action::getTarget),
    HOST("host_id", "host_name", "host", Action::getHost),
    OPERATION(
            "operation",
            "operation",
            "operation",
            action -> action.getOperation().name());

    /** The column holding an action's key on this axis, and the one with its name as people read it. */
    final String keySql;

    final String labelSql;
    /** The Actions view's filter that selects one key of this axis. */
    final String filter;

    final Function<Action, String> key;

    GridAxis(String keySql, String labelSql, String filter, Function<Action, String> key) {
        this.keySql = keySql;
        this.labelSql = labelSql;
        this.filter = filter;
        this.key = key;
    }

    public String param() {
        return name().toLowerCase(Locale.ROOT);
    }

    static GridAxis parse(String field, String value, GridAxis fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return Arrays.stream(values())
                .filter(axis -> axis.param().equalsIgnoreCase(value.trim()))
                .findFirst()
                .orElseThrow(() ->
                        new InvalidRequestException(field, "one of target, host, operation, got '" + value + "'"));
    }
}
