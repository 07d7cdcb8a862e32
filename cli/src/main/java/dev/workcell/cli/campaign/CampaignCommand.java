package dev.workcell.cli.campaign;

import picocli.CommandLine.Command;

/** workcell campaign: create, list, run and delete campaigns (subjects × device kinds) and read their grid. */
@Command(
        name = "campaign",
        description = "Create, list, run and delete campaigns (a trace of each subject on each device kind, then"
                + " replays and reports of the traces that succeeded) and read their grid. Subjects: workcell subject.",
        subcommands = {
            CampaignCreateCommand.class,
            CampaignListCommand.class,
            CampaignRunCommand.class,
            CampaignGridCommand.class,
            CampaignDeleteCommand.class
        })
public class CampaignCommand {}
