package dev.workcell.cli;

import dev.workcell.cli.connect.GrpcFailures;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;

/** The entry point: runs a command and turns what went wrong into a message on stderr and an exit code. */
public final class WorkcellMain {

    private WorkcellMain() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new WorkcellCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
                    CliException failure = exception instanceof StatusRuntimeException grpc
                            ? GrpcFailures.toCli(grpc)
                            : exception instanceof CliException cli
                                    ? cli
                                    : new CliException(ExitCodes.FAILED, "unexpected error: " + exception, exception);
                    commandLine.getErr().println("workcell: " + failure.getMessage());
                    if (failure.exitCode() == ExitCodes.FAILED
                            && failure.getCause() != null
                            && System.getenv("WORKCELL_DEBUG") != null) {
                        failure.getCause().printStackTrace(commandLine.getErr());
                    }
                    return failure.exitCode();
                });
    }
}
