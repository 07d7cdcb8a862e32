package dev.workcell.cli.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.Table;
import picocli.CommandLine.Command;

/** workcell tokens: API tokens, never their secrets (admin). */
@Command(name = "tokens", description = "API tokens: ids, names, roles, expiry, never secrets (admin).",
        subcommands = {TokenCreateCommand.class, TokenRevokeCommand.class})
public class TokensCommand extends AdminListing {

    @Override
    protected String path() {
        return "/tokens";
    }

    @Override
    protected Table table(JsonArray tokens) {
        Table table = new Table("ID", "NAME", "ROLE", "CREATED", "EXPIRES", "REVOKED", "BY");
        for (JsonElement token : tokens) {
            table.row(Json.text(token, "id"), Json.text(token, "name"), Json.text(token, "role"), Json.time(token, "createdAt"),
                    Json.time(token, "expiresAt"), Json.time(token, "revokedAt"), Json.text(token, "createdBy"));
        }
        return table;
    }
}
