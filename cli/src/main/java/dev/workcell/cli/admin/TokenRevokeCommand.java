package dev.workcell.cli.admin;

import com.google.gson.JsonElement;
import dev.workcell.cli.output.Json;
import picocli.CommandLine.Command;

/** workcell tokens revoke: the token is refused from its next call on (admin). */
@Command(name = "revoke", description = "Revoke an API token (t-…): refused from its next call on.")
public class TokenRevokeCommand extends AdminRevocation {

    @Override
    protected String collection() {
        return "/tokens";
    }

    @Override
    protected String describe(JsonElement token) {
        return "revoked token " + Json.text(token, "id") + " (" + Json.text(token, "name") + ")";
    }
}
