package dev.workcell.cli.action;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** How many actions are in which state: "3/8 done: 2 succeeded, 1 failed; 2 running, 3 queued". */
final class Summary {

    private Summary() {}

    static String of(Collection<Action> actions) {
        Map<ActionStatus, Long> counts = new EnumMap<>(ActionStatus.class);
        actions.forEach(action -> counts.merge(action.getStatus(), 1L, Long::sum));
        long done = actions.stream().filter(ActionTexts::terminal).count();
        String finished = counts.entrySet().stream()
                .filter(entry -> ActionTexts.terminal(entry.getKey()))
                .map(entry -> entry.getValue() + " " + entry.getKey().name().toLowerCase())
                .collect(Collectors.joining(", "));
        String active = counts.entrySet().stream()
                .filter(entry -> !ActionTexts.terminal(entry.getKey()))
                .map(entry -> entry.getValue() + " " + entry.getKey().name().toLowerCase())
                .collect(Collectors.joining(", "));
        return done + "/" + actions.size() + " done" + (finished.isEmpty() ? "" : ": " + finished)
                + (active.isEmpty() ? "" : "; " + active);
    }

    /** A bar of {@code width} characters, filled as far as the actions are done. */
    static String bar(Collection<Action> actions, int width) {
        long done = actions.stream().filter(ActionTexts::terminal).count();
        int filled = actions.isEmpty() ? 0 : (int) (done * width / actions.size());
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }
}
