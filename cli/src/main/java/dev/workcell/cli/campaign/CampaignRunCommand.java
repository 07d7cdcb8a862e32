package dev.workcell.cli.campaign;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.RunCampaignRequest;
import dev.workcell.proto.v1.RunCampaignResponse;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** workcell campaign run: creates the campaign's missing or failed work. */
@Command(
        name = "run",
        description = "Run a campaign, or run it again: only the work that is missing or failed is created.")
public class CampaignRunCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "CAMPAIGN_ID", description = "The campaign's id (GET /api/v1/campaigns lists them).")
    String id;

    @Override
    public Integer call() {
        RunCampaignResponse run;
        try (ControlPlane controlPlane = connection.open()) {
            run = controlPlane
                    .campaigns()
                    .runCampaign(RunCampaignRequest.newBuilder().setId(id).build());
        }
        output.print(System.out, Json.tree(run), List.of(Json.tree(run)), out -> {
            out.println("campaign " + run.getCampaign().getName() + " run "
                    + run.getCampaign().getRuns() + ": " + run.getCreated() + " actions created, " + run.getKept()
                    + " kept (in flight or succeeded)");
            run.getRefusedList().forEach(refused -> out.println("not submitted: " + refused));
        });
        return 0;
    }
}
