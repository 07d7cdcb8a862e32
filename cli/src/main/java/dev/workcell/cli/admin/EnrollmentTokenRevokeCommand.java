package dev.workcell.cli.admin;

import com.google.gson.JsonElement;
import dev.workcell.cli.output.Json;
import picocli.CommandLine.Command;

/** workcell enrollment-tokens revoke: no agent enrolls with it any more (admin). */
@Command(name = "revoke", description = "Revoke an enrollment token (e-…).")
public class EnrollmentTokenRevokeCommand extends AdminRevocation {

    @Override
    protected String collection() {
        return "/enrollment-tokens";
    }

    @Override
    protected String describe(JsonElement token) {
        return "revoked enrollment token " + Json.text(token, "id") + " (pool " + Json.text(token, "pool") + ")";
    }
}
