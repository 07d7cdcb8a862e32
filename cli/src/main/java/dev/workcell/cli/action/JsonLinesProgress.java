package dev.workcell.cli.action;

import dev.workcell.cli.output.Json;
import dev.workcell.proto.v1.Action;
import java.io.PrintStream;

/** Progress for scripts: every change as the action's JSON, one a line. */
public final class JsonLinesProgress implements Progress {

    private final PrintStream out;

    public JsonLinesProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void update(Action action) {
        out.println(Json.line(Json.tree(action)));
        out.flush();
    }

    @Override
    public void tick() {}

    @Override
    public void close() {}
}
