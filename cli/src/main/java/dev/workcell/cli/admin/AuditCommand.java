package dev.workcell.cli.admin;

import com.google.gson.JsonElement;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.Listing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** workcell audit: who created, revoked, enrolled, approved, and who was refused (admin). */
@Command(
        name = "audit",
        description = "The audit trail, newest first: who created, revoked, enrolled, approved, was refused (admin).")
public class AuditCommand extends AdminListing {

    @Option(
            names = {"-n", "--limit"},
            paramLabel = "N",
            description = "How many rows (1 to 1000, default ${DEFAULT-VALUE}).")
    int limit = 100;

    @Override
    protected String path() {
        return "/audit?limit=" + limit;
    }

    @Override
    protected Listing<JsonElement> columns(Listing<JsonElement> events) {
        return events.column("AT", event -> Json.time(event, "at"))
                .column("ACTOR", event -> Json.text(event, "actor"))
                .column("KIND", event -> Json.text(event, "kind"))
                .column("SUBJECT", event -> Json.text(event, "subject"))
                .column("TIMES", event -> Json.text(event, "occurrences"))
                .column("DETAIL", event -> Json.text(event, "detail"));
    }
}
