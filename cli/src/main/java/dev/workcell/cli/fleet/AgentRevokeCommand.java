package dev.workcell.cli.fleet;

import com.google.gson.JsonElement;
import dev.workcell.cli.admin.AdminRevocation;
import dev.workcell.cli.output.Json;
import picocli.CommandLine.Command;

/** workcell agents revoke: an agent's credential is refused from now on and its streams close (admin). */
@Command(
        name = "revoke",
        description = "Revoke an agent (a-…): its streams close now, on every replica, and its credential is refused.")
public class AgentRevokeCommand extends AdminRevocation {

    @Override
    protected String collection() {
        return "/agents";
    }

    @Override
    protected String describe(JsonElement agent) {
        return "revoked agent " + Json.text(agent, "id") + " of host " + Json.text(agent, "hostName");
    }
}
