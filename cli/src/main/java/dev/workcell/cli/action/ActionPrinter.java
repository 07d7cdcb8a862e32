package dev.workcell.cli.action;

import com.google.gson.JsonElement;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.Action;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;

/** Prints the actions a command acted on: one as a JSON object, several as an array; a table; or a JSON line each. */
public final class ActionPrinter {

    private ActionPrinter() {}

    public static void print(PrintStream out, OutputOptions output, List<Action> actions) {
        print(out, output, actions, ActionTable.of(actions)::print);
    }

    public static void print(
            PrintStream out, OutputOptions output, List<Action> actions, Consumer<PrintStream> forPeople) {
        List<JsonElement> items = actions.stream().map(Json::tree).toList();
        output.print(out, items.size() == 1 ? items.get(0) : Json.array(items), items, forPeople);
    }
}
