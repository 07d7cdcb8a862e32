package dev.workcell.cli.action;

import picocli.CommandLine.Command;

/** workcell submit: the operations, one subcommand each. */
@Command(name = "submit", description = "Submit an action for one or more target devices.",
        subcommands = {SubmitExecCommand.class, SubmitTraceCommand.class, SubmitReplayCommand.class, SubmitReportCommand.class,
                SubmitJsonCommand.class})
public class SubmitCommand {
}
