package dev.workcell.cli.artifact;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Listing;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.GetActionRequest;
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
            action = controlPlane
                    .actions()
                    .get(GetActionRequest.newBuilder().setId(id).build());
        }
        Listing.of(action.getOutput().getArtifactsList())
                .column("SHA256", Artifact::getSha256)
                .column("SIZE", Artifact::getSize)
                .column("TYPE", Artifact::getContentType)
                .column("NAME", Artifact::getName)
                .print(output, System.out);
        return 0;
    }
}
