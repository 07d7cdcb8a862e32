package dev.workcell.cli.admin;

import com.google.gson.JsonElement;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.Listing;
import picocli.CommandLine.Command;

/** workcell tokens: API tokens, never their secrets (admin). */
@Command(
        name = "tokens",
        description = "API tokens: ids, names, roles, expiry, never secrets (admin).",
        subcommands = {TokenCreateCommand.class, TokenRevokeCommand.class})
public class TokensCommand extends AdminListing {

    @Override
    protected String path() {
        return "/tokens";
    }

    @Override
    protected Listing<JsonElement> columns(Listing<JsonElement> tokens) {
        return tokens.column("ID", token -> Json.text(token, "id"))
                .column("NAME", token -> Json.text(token, "name"))
                .column("ROLE", token -> Json.text(token, "role"))
                .column("CREATED", token -> Json.time(token, "createdAt"))
                .column("EXPIRES", token -> Json.time(token, "expiresAt"))
                .column("REVOKED", token -> Json.time(token, "revokedAt"))
                .column("BY", token -> Json.text(token, "createdBy"));
    }
}
