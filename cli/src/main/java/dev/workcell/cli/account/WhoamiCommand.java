package dev.workcell.cli.account;

import com.google.gson.JsonElement;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.connect.Endpoint;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** workcell whoami: who the control plane takes this token for. */
@Command(name = "whoami", description = "Who the control plane takes the token for: token id, name, roles.")
public class WhoamiCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        JsonElement who;
        Endpoint endpoint;
        try (ControlPlane controlPlane = connection.open()) {
            endpoint = controlPlane.endpoint();
            who = controlPlane.rest().get("/whoami");
        }
        output.print(System.out, who, List.of(who), out -> {
            out.println("server:  " + endpoint.server()
                    + (endpoint.context() == null ? "" : " (context " + endpoint.context() + ")"));
            out.println("token:   " + Json.text(who, "id") + " (" + Json.text(who, "name") + ")");
            out.println("roles:   " + Json.joined(who, "roles"));
        });
        return 0;
    }
}
