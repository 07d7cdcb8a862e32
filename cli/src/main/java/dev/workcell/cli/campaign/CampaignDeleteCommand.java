package dev.workcell.cli.campaign;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.Campaign;
import dev.workcell.proto.v1.DeleteCampaignRequest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** workcell campaign delete: the campaign goes, its actions stay in the ledger. */
@Command(
        name = "delete",
        description = "Delete a campaign; the actions it created stay in the ledger (workcell list shows them).")
public class CampaignDeleteCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "CAMPAIGN_ID", description = "The campaign's id (workcell campaign list).")
    String id;

    @Override
    public Integer call() {
        Campaign deleted;
        try (ControlPlane controlPlane = connection.open()) {
            deleted = controlPlane
                    .campaigns()
                    .deleteCampaign(DeleteCampaignRequest.newBuilder().setId(id).build());
        }
        output.print(
                System.out,
                Json.tree(deleted),
                List.of(Json.tree(deleted)),
                out -> out.println("deleted campaign " + deleted.getId() + " (" + deleted.getName()
                        + "); its actions stay in the ledger"));
        return 0;
    }
}
