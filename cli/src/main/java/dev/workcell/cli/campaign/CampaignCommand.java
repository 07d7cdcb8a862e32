package dev.workcell.cli.campaign;

import picocli.CommandLine.Command;

/** workcell campaign: run a campaign (subjects × device kinds) and read its grid. */
@Command(name = "campaign", description = "Run a campaign (a trace of each subject on each device kind, then replays and reports"
        + " of the traces that succeeded) and read its grid. Create subjects and campaigns with the API (README \"Campaigns\").",
        subcommands = {CampaignRunCommand.class, CampaignGridCommand.class})
public class CampaignCommand {
}
