package dev.workcell.cli.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** workcell audit: who created, revoked, enrolled, approved, and who was refused (admin). */
@Command(name = "audit", description = "The audit trail, newest first: who created, revoked, enrolled, approved, was refused (admin).")
public class AuditCommand extends AdminListing {

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "How many rows (1 to 1000, default ${DEFAULT-VALUE}).")
    int limit = 100;

    @Override
    protected String path() {
        return "/audit?limit=" + limit;
    }

    @Override
    protected Table table(JsonArray events) {
        Table table = new Table("AT", "ACTOR", "KIND", "SUBJECT", "TIMES", "DETAIL");
        for (JsonElement event : events) {
            table.row(Json.time(event, "at"), Json.text(event, "actor"), Json.text(event, "kind"), Json.text(event, "subject"),
                    Json.text(event, "occurrences"), Json.text(event, "detail"));
        }
        return table;
    }
}
