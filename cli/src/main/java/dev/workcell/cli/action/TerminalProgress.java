package dev.workcell.cli.action;

import dev.workcell.cli.output.Terminal;
import dev.workcell.cli.output.Times;
import dev.workcell.proto.v1.Action;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Progress on a terminal: one line per action (id, status, target, operation, elapsed time, and the
 * last log line while it runs or its error once over), redrawn in place, and for several actions a
 * summary bar. Lines are cut to the terminal's width and at most a screenful is drawn, so that moving
 * the cursor back up always lands on the first line of the last frame.
 */
public final class TerminalProgress implements Progress {

    private static final String CSI = "\u001b[";
    private static final long REDRAW_MILLIS = 100;
    private static final long CLOCK_MILLIS = 1000;
    private static final int BAR_WIDTH = 20;

    private final PrintStream out;
    private final LogTails tails;
    private final Terminal.Size size;
    private final Map<String, Action> actions = new LinkedHashMap<>();
    private final Thread restoreCursor;
    private int drawnLines;
    private long lastDraw;
    private boolean dirty;

    TerminalProgress(PrintStream out, LogTails tails, Terminal.Size size) {
        this.out = out;
        this.tails = tails;
        this.size = size;
        this.restoreCursor = new Thread(() -> {
            out.print(CSI + "?25h");
            out.flush();
        });
        out.print(CSI + "?25l");
        Runtime.getRuntime().addShutdownHook(restoreCursor);
    }

    @Override
    public void update(Action action) {
        actions.put(action.getId(), action);
        tails.follow(action);
        dirty = true;
    }

    @Override
    public void tick() {
        long now = System.currentTimeMillis();
        if (dirty && now - lastDraw >= REDRAW_MILLIS || now - lastDraw >= CLOCK_MILLIS) {
            draw();
        }
    }

    @Override
    public void close() {
        draw();
        tails.close();
        out.print(CSI + "?25h");
        out.flush();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreCursor);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void draw() {
        List<String> lines = frame(Instant.now());
        StringBuilder screen = new StringBuilder();
        if (drawnLines > 0) {
            screen.append('\r').append(CSI).append(drawnLines).append('A');
        }
        for (String line : lines) {
            screen.append(CSI).append("2K").append(cut(line)).append('\n');
        }
        screen.append(CSI).append('J');
        out.print(screen);
        out.flush();
        drawnLines = lines.size();
        lastDraw = System.currentTimeMillis();
        dirty = false;
    }

    private List<String> frame(Instant now) {
        int room = Math.max(2, size.rows() - 2) - (actions.size() > 1 ? 1 : 0);
        List<Action> shown = new ArrayList<>(actions.values());
        int hidden = 0;
        if (shown.size() > room) {
            // running and queued actions first, in submission order; then the most recently finished
            shown.sort(Comparator.comparing(ActionTexts::terminal));
            hidden = shown.size() - (room - 1);
            shown = shown.subList(0, room - 1);
        }
        int statusWidth = shown.stream()
                .mapToInt(action -> ActionTexts.status(action).length())
                .max()
                .orElse(0);
        int targetWidth = shown.stream()
                .mapToInt(action -> ActionTexts.target(action).length())
                .max()
                .orElse(0);
        List<String> lines = new ArrayList<>();
        for (Action action : shown) {
            String note = ActionTexts.terminal(action) ? action.getError() : tails.last(action.getId());
            lines.add(String.format(
                    "%-12s  %-" + statusWidth + "s  %-" + targetWidth + "s  %-6s  %7s  %s",
                    action.getId().substring(0, Math.min(12, action.getId().length())),
                    ActionTexts.status(action),
                    ActionTexts.target(action),
                    action.getOperation(),
                    Times.elapsed(ActionTexts.elapsed(action, now)),
                    note));
        }
        if (hidden > 0) {
            lines.add("... and " + hidden + " more");
        }
        if (actions.size() > 1) {
            lines.add(Summary.bar(actions.values(), BAR_WIDTH) + " " + Summary.of(actions.values()));
        }
        return lines;
    }

    private String cut(String line) {
        String flat = line.replaceAll("[\\p{Cntrl}]", " ").stripTrailing();
        int width = Math.max(10, size.columns() - 1);
        return flat.length() <= width ? flat : flat.substring(0, width - 3) + "...";
    }
}
