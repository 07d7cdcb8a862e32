package dev.workcell.cli.action;

import dev.workcell.cli.output.Table;
import dev.workcell.cli.output.Times;
import dev.workcell.proto.v1.Action;
import java.time.Instant;
import java.util.List;

/** Actions as a table: one row each. */
public final class ActionTable {

    private ActionTable() {}

    public static Table of(List<Action> actions) {
        Instant now = Instant.now();
        Table table = new Table("ID", "OPERATION", "STATUS", "TARGET", "HOST", "ATTEMPT", "AGE");
        actions.forEach(action -> table.row(
                action.getId(),
                action.getOperation(),
                ActionTexts.status(action),
                ActionTexts.target(action),
                ActionTexts.host(action),
                action.getAttempt(),
                Times.age(action.getCreatedAt(), now)));
        return table;
    }
}
