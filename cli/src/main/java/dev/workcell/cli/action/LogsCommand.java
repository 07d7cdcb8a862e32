package dev.workcell.cli.action;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputFormat;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.GetLogRequest;
import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;
import io.grpc.Context;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** workcell logs: an attempt's stdout and stderr, or with -f the live log until the action is over. */
@Command(name = "logs", description = "Print an action's log (stdout to stdout, stderr to stderr); -f follows it live.")
public class LogsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "ID", description = "The action.")
    String id;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing as the log grows, attempt after attempt, until the action is over.")
    boolean follow;

    @Option(names = "--attempt", paramLabel = "N", description = "The attempt to read (default: the current one).")
    int attempt;

    @Option(names = "--stream", paramLabel = "STREAM", description = "Only STDOUT or STDERR.")
    LogStream stream;

    @Override
    public Integer call() {
        LogPrinter printer = new LogPrinter(System.out, System.err, null);
        Consumer<LogChunk> print = output.format() == OutputFormat.TABLE
                ? printer::write
                : chunk -> System.out.println(Json.line(Json.tree(chunk)));
        Consumer<LogChunk> selected = chunk -> {
            if (stream == null || chunk.getStream() == stream) {
                print.accept(chunk);
            }
        };
        try (ControlPlane controlPlane = connection.open()) {
            if (follow) {
                Context.CancellableContext context = Context.current().withCancellation();
                new LogFollower(controlPlane)
                        .follow(id, attempt, selected, next -> printer.note("attempt " + next), context);
            } else {
                Iterator<LogChunk> chunks = controlPlane
                        .blockingStreams()
                        .logs(GetLogRequest.newBuilder()
                                .setId(id)
                                .setAttempt(attempt)
                                .build());
                chunks.forEachRemaining(selected);
            }
        }
        printer.finish();
        return 0;
    }
}
