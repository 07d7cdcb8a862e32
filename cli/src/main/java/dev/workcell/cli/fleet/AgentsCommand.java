package dev.workcell.cli.fleet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.workcell.cli.admin.AdminListing;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.Table;
import picocli.CommandLine.Command;

/** workcell agents: enrolled agents and their hosts (admin). */
@Command(name = "agents", description = "Enrolled agents and their hosts (admin); `agents revoke ID` ends one's access at once.",
        subcommands = AgentRevokeCommand.class)
public class AgentsCommand extends AdminListing {

    @Override
    protected String path() {
        return "/agents";
    }

    @Override
    protected Table table(JsonArray agents) {
        Table table = new Table("ID", "HOST", "POOL", "LABELS", "ENROLLED", "REVOKED");
        for (JsonElement agent : agents) {
            table.row(Json.text(agent, "id"), Json.text(agent, "hostName"), Json.text(agent, "pool"), Json.joined(agent, "labels"),
                    Json.time(agent, "enrolledAt"), Json.time(agent, "revokedAt"));
        }
        return table;
    }
}
