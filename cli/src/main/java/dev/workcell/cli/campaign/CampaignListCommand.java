package dev.workcell.cli.campaign;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Listing;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Times;
import dev.workcell.proto.v1.Campaign;
import dev.workcell.proto.v1.DeviceKind;
import dev.workcell.proto.v1.ListCampaignsRequest;
import dev.workcell.proto.v1.ListCampaignsResponse;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** workcell campaign list: every campaign, newest first. */
@Command(name = "list", description = "List campaigns, newest first.")
public class CampaignListCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ListCampaignsResponse campaigns;
        try (ControlPlane controlPlane = connection.open()) {
            campaigns = controlPlane.campaigns().listCampaigns(ListCampaignsRequest.getDefaultInstance());
        }
        Listing.of(campaigns, campaigns.getCampaignsList())
                .column("ID", Campaign::getId)
                .column("NAME", Campaign::getName)
                .column("SUBJECTS", Campaign::getSubjectIdsCount)
                .column(
                        "KINDS",
                        campaign -> campaign.getKindsList().stream()
                                .map(DeviceKind::getName)
                                .collect(Collectors.joining(",")))
                .column("RUNS", Campaign::getRuns)
                .column("LAST RUN", campaign -> campaign.hasLastRunAt() ? Times.at(campaign.getLastRunAt()) : "never")
                .print(output, System.out);
        return 0;
    }
}
