package dev.workcell.cli.admin;

import com.google.gson.JsonElement;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.OutputOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Revoking something by id over REST (admin): DELETE, then the revoked item printed. */
public abstract class AdminRevocation implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "ID", description = "What to revoke.")
    String id;

    /** The collection under /api/v1, e.g. "/tokens". */
    protected abstract String collection();

    /** One line for people about what was revoked. */
    protected abstract String describe(JsonElement revoked);

    @Override
    public Integer call() {
        JsonElement revoked;
        try (ControlPlane controlPlane = connection.open()) {
            revoked = controlPlane.rest().delete(collection() + "/" + id);
        }
        output.print(System.out, revoked, List.of(revoked), out -> out.println(describe(revoked)));
        return 0;
    }
}
