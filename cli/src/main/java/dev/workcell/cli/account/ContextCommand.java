package dev.workcell.cli.account;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.workcell.cli.connect.ConfigFile;
import dev.workcell.cli.connect.Contexts;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** workcell context: the saved contexts (never their tokens), and which one is current. */
@Command(
        name = "context",
        description = "Saved contexts (server, CA; tokens are never shown); `use` and `delete` change them.",
        subcommands = {ContextUseCommand.class, ContextDeleteCommand.class})
public class ContextCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ConfigFile config = ConfigFile.ofUser();
        Contexts contexts = config.load();
        List<JsonElement> items = new ArrayList<>();
        for (Map.Entry<String, Contexts.Context> entry : contexts.byName().entrySet()) {
            JsonObject item = new JsonObject();
            item.addProperty("name", entry.getKey());
            item.addProperty("current", entry.getKey().equals(contexts.current()));
            item.addProperty("server", entry.getValue().server());
            item.addProperty("ca", entry.getValue().ca());
            items.add(item);
        }
        output.print(System.out, Json.array(items), items, out -> {
            Table table = new Table("CURRENT", "NAME", "SERVER", "CA");
            contexts.byName()
                    .forEach((name, context) -> table.row(
                            name.equals(contexts.current()) ? "*" : "", name, context.server(), context.ca()));
            table.print(out);
        });
        return 0;
    }
}
