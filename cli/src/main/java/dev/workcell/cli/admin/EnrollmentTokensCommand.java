package dev.workcell.cli.admin;

import com.google.gson.JsonElement;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.Listing;
import picocli.CommandLine.Command;

/** workcell enrollment-tokens: tokens agents enroll with, never their secrets (admin). */
@Command(
        name = "enrollment-tokens",
        description = "Tokens agents enroll with: pool, labels, uses, expiry (admin).",
        subcommands = {EnrollmentTokenCreateCommand.class, EnrollmentTokenRevokeCommand.class})
public class EnrollmentTokensCommand extends AdminListing {

    @Override
    protected String path() {
        return "/enrollment-tokens";
    }

    @Override
    protected Listing<JsonElement> columns(Listing<JsonElement> tokens) {
        return tokens.column("ID", token -> Json.text(token, "id"))
                .column("POOL", token -> Json.text(token, "pool"))
                .column("LABELS", token -> Json.joined(token, "labels"))
                .column("REUSABLE", token -> Json.text(token, "reusable"))
                .column("USES", token -> Json.text(token, "uses"))
                .column("EXPIRES", token -> Json.time(token, "expiresAt"))
                .column("REVOKED", token -> Json.time(token, "revokedAt"));
    }
}
