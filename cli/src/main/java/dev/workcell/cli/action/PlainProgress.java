package dev.workcell.cli.action;

import dev.workcell.cli.output.Times;
import dev.workcell.proto.v1.Action;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Progress for a log file or a pipe: one timestamped line per change of state (status or attempt),
 * no escape codes; the time is when the control plane recorded the change.
 */
public final class PlainProgress implements Progress {

    private final PrintStream out;
    private final Map<String, Action> seen = new LinkedHashMap<>();

    public PlainProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void update(Action action) {
        Action before = seen.put(action.getId(), action);
        if (before != null
                && before.getStatus() == action.getStatus()
                && before.getAttempt() == action.getAttempt()
                && before.getCancelRequested() == action.getCancelRequested()) {
            return;
        }
        Instant at = Times.isSet(action.getUpdatedAt()) ? Times.instant(action.getUpdatedAt()) : Instant.now();
        StringBuilder line = new StringBuilder()
                .append(at.truncatedTo(ChronoUnit.MILLIS))
                .append("  ")
                .append(action.getId())
                .append("  ")
                .append(action.getOperation())
                .append("  ")
                .append(ActionTexts.target(action))
                .append("  ")
                .append(ActionTexts.status(action))
                .append("  attempt ")
                .append(action.getAttempt());
        if (!action.getError().isEmpty()) {
            line.append("  ").append(action.getError().replace('\n', ' '));
        }
        out.println(line);
        out.flush();
    }

    @Override
    public void tick() {}

    @Override
    public void close() {
        if (seen.size() > 1) {
            out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + "  " + Summary.of(seen.values()));
            out.flush();
        }
    }
}
