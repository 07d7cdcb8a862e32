package dev.workcell.cli.action;

import dev.workcell.cli.CliException;
import dev.workcell.cli.DurationConverter;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Terminal;
import dev.workcell.cli.output.Times;
import dev.workcell.proto.v1.Action;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * --wait, --follow and --timeout, and what a command does with the actions it started or changed:
 * print them, or wait until they are over while showing their progress (redrawn on a terminal,
 * timestamped lines otherwise, the log with --follow) and end with the worst of their exit codes.
 */
public class WaitOptions {

    @Option(
            names = "--wait",
            description = "Wait until the actions are over; the exit code says how (the worst of several).")
    boolean wait;

    @Option(
            names = {"-f", "--follow"},
            description = "Stream the log while waiting (implies --wait; state changes go to stderr).")
    boolean follow;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "With --wait or --follow: give up after this long (e.g. 90s, 10m), exit code 6.")
    Duration timeout;

    public boolean waits() {
        return wait || follow;
    }

    public int finish(ControlPlane controlPlane, List<Action> actions, OutputOptions output) {
        if (!waits()) {
            ActionPrinter.print(System.out, output, actions);
            return ExitCodes.OK;
        }
        if (follow && !output.table()) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "--follow prints the log as text: use --wait with -o json|jsonl, "
                            + "and `workcell logs -f -o jsonl ID` for the log as JSON");
        }
        List<Action> last;
        try (LogFollowers followers =
                follow ? LogFollowers.start(controlPlane, actions, System.out, System.err) : LogFollowers.none()) {
            Progress progress = follow ? new PlainProgress(System.err) : shown(controlPlane, output, Progress.NONE);
            last = Await.until(controlPlane, actions, timeout, progress, followers);
        }
        if (!output.table()) {
            ActionPrinter.print(System.out, output, last);
        }
        return outcome(last, timeout);
    }

    /** The worst exit code of the actions after a wait; those not over count as timed out, and stderr says how many. */
    static int outcome(List<Action> last, Duration timeout) {
        long notOver =
                last.stream().filter(action -> !ActionTexts.terminal(action)).count();
        if (notOver > 0) {
            System.err.println("workcell: timed out after " + Times.elapsed(timeout) + ": " + notOver + " of "
                    + last.size() + " action(s) not over");
        }
        return last.stream().mapToInt(ActionTexts::exitCode).reduce(ExitCodes.OK, ExitCodes::worst);
    }

    /** Progress for people (redrawn on a terminal, timestamped lines otherwise), or {@code forScripts} with -o json|jsonl. */
    static Progress shown(ControlPlane controlPlane, OutputOptions output, Progress forScripts) {
        if (!output.table()) {
            return forScripts;
        }
        return Terminal.interactive()
                ? new TerminalProgress(System.out, new LogTails(controlPlane), Terminal.size())
                : new PlainProgress(System.out);
    }
}
