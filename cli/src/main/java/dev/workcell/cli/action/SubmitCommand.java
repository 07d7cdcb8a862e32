package dev.workcell.cli.action;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** workcell submit: the operations, one subcommand each; or, with --batch, many requests from a file in one call. */
@Command(
        name = "submit",
        description = {
            "Submit an action for one or more target devices.",
            "  workcell submit --batch FILE: submit the file's requests in one call (a JSON array of SubmitActionRequest, or",
            "  JSON lines, one request a line); one result per item, exit 1 when any item was refused."
        },
        subcommands = {
            SubmitExecCommand.class,
            SubmitTraceCommand.class,
            SubmitReplayCommand.class,
            SubmitReportCommand.class,
            SubmitJsonCommand.class
        })
public class SubmitCommand implements Callable<Integer> {

    @Option(
            names = "--batch",
            paramLabel = "FILE",
            description = "Submit every request of FILE (- for stdin) in one call: a JSON array, or JSON lines.")
    String batch;

    @Mixin
    SubmitBatch submitBatch;

    @Override
    public Integer call() {
        if (batch == null) {
            throw new CliException(
                    ExitCodes.USAGE, "give an operation (exec, trace, replay, report, json) or --batch FILE");
        }
        return submitBatch.run(batch);
    }
}
