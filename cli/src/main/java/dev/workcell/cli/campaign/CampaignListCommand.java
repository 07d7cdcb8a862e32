package dev.workcell.cli.campaign;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Table;
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
        output.print(System.out, Json.tree(campaigns), campaigns.getCampaignsList().stream().map(Json::tree).toList(), out -> {
            Table table = new Table("ID", "NAME", "SUBJECTS", "KINDS", "RUNS", "LAST RUN");
            for (Campaign campaign : campaigns.getCampaignsList()) {
                table.row(campaign.getId(), campaign.getName(), campaign.getSubjectIdsCount(),
                        campaign.getKindsList().stream().map(DeviceKind::getName).collect(Collectors.joining(",")), campaign.getRuns(),
                        campaign.hasLastRunAt() ? Times.at(campaign.getLastRunAt()) : "never");
            }
            table.print(out);
        });
        return 0;
    }
}
