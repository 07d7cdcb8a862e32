package dev.workcell.cli;

import dev.workcell.cli.account.ContextCommand;
import dev.workcell.cli.account.LoginCommand;
import dev.workcell.cli.account.WhoamiCommand;
import dev.workcell.cli.action.CancelCommand;
import dev.workcell.cli.action.EventsCommand;
import dev.workcell.cli.action.GetCommand;
import dev.workcell.cli.action.ListCommand;
import dev.workcell.cli.action.LogsCommand;
import dev.workcell.cli.action.RetryCommand;
import dev.workcell.cli.action.SubmitCommand;
import dev.workcell.cli.action.WatchCommand;
import dev.workcell.cli.admin.AuditCommand;
import dev.workcell.cli.admin.EnrollmentTokensCommand;
import dev.workcell.cli.admin.TokensCommand;
import dev.workcell.cli.artifact.ArtifactsCommand;
import dev.workcell.cli.campaign.CampaignCommand;
import dev.workcell.cli.fleet.AgentsCommand;
import dev.workcell.cli.fleet.DevicesCommand;
import dev.workcell.cli.fleet.WorkersCommand;
import dev.workcell.cli.pending.PendingCommand;
import dev.workcell.cli.subject.SubjectCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;

/** workcell: its subcommands talk to a Workcell control plane. */
@Command(
        name = "workcell",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Submit, watch and manage actions on a Workcell device farm.",
        footer = {
            "",
            "Exit codes: 0 succeeded, 1 action failed (or request refused), 2 usage,",
            "3 unreachable, 4 not found, 5 not authenticated / not allowed, 6 timed out,",
            "7 cancelled, 130 interrupted.",
            "Environment: WORKCELL_SERVER, WORKCELL_TOKEN, WORKCELL_CA and WORKCELL_CONTEXT",
            "override the saved context."
        },
        subcommands = {
            HelpCommand.class,
            LoginCommand.class,
            ContextCommand.class,
            WhoamiCommand.class,
            SubmitCommand.class,
            GetCommand.class,
            ListCommand.class,
            WatchCommand.class,
            LogsCommand.class,
            EventsCommand.class,
            PendingCommand.class,
            CancelCommand.class,
            RetryCommand.class,
            ArtifactsCommand.class,
            CampaignCommand.class,
            SubjectCommand.class,
            DevicesCommand.class,
            WorkersCommand.class,
            AgentsCommand.class,
            TokensCommand.class,
            EnrollmentTokensCommand.class,
            AuditCommand.class
        })
public class WorkcellCommand {}
