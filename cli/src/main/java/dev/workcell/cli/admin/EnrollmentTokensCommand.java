package dev.workcell.cli.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.Table;
import picocli.CommandLine.Command;

/** workcell enrollment-tokens: tokens agents enroll with, never their secrets (admin). */
@Command(name = "enrollment-tokens", description = "Tokens agents enroll with: pool, labels, uses, expiry (admin).",
        subcommands = {EnrollmentTokenCreateCommand.class, EnrollmentTokenRevokeCommand.class})
public class EnrollmentTokensCommand extends AdminListing {

    @Override
    protected String path() {
        return "/enrollment-tokens";
    }

    @Override
    protected Table table(JsonArray tokens) {
        Table table = new Table("ID", "POOL", "LABELS", "REUSABLE", "USES", "EXPIRES", "REVOKED");
        for (JsonElement token : tokens) {
            table.row(Json.text(token, "id"), Json.text(token, "pool"), Json.joined(token, "labels"), Json.text(token, "reusable"),
                    Json.text(token, "uses"), Json.time(token, "expiresAt"), Json.time(token, "revokedAt"));
        }
        return table;
    }
}
