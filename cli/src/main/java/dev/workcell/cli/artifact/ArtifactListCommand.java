package dev.workcell.cli.artifact;

import com.google.gson.JsonElement;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Table;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.GetActionRequest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** workcell artifacts list: the artifacts of an action's last attempt. */
@Command(name = "list", aliases = "ls", description = "The files an action's last attempt produced.")
public class ArtifactListCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "ID", description = "The action.")
    String id;

    @Override
    public Integer call() {
        Action action;
        try (ControlPlane controlPlane = connection.open()) {
            action = controlPlane.actions().get(GetActionRequest.newBuilder().setId(id).build());
        }
        List<Artifact> artifacts = action.getOutput().getArtifactsList();
        List<JsonElement> items = artifacts.stream().map(Json::tree).toList();
        output.print(System.out, Json.array(items), items, out -> {
            Table table = new Table("SHA256", "SIZE", "TYPE", "NAME");
            for (Artifact artifact : artifacts) {
                table.row(artifact.getSha256(), artifact.getSize(), artifact.getContentType(), artifact.getName());
            }
            table.print(out);
        });
        return 0;
    }
}
