package dev.workcell.cli.fleet;

import com.google.gson.JsonElement;
import dev.workcell.cli.admin.AdminListing;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.Listing;
import picocli.CommandLine.Command;

/** workcell agents: enrolled agents and their hosts (admin). */
@Command(
        name = "agents",
        description = "Enrolled agents and their hosts (admin); `agents revoke ID` ends one's access at once.",
        subcommands = AgentRevokeCommand.class)
public class AgentsCommand extends AdminListing {

    @Override
    protected String path() {
        return "/agents";
    }

    @Override
    protected Listing<JsonElement> columns(Listing<JsonElement> agents) {
        return agents.column("ID", agent -> Json.text(agent, "id"))
                .column("HOST", agent -> Json.text(agent, "hostName"))
                .column("POOL", agent -> Json.text(agent, "pool"))
                .column("LABELS", agent -> Json.joined(agent, "labels"))
                .column("ENROLLED", agent -> Json.time(agent, "enrolledAt"))
                .column("REVOKED", agent -> Json.time(agent, "revokedAt"));
    }
}
