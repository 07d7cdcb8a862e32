package dev.workcell.cli.action;

import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.Times;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.Artifact;
import java.io.PrintStream;
import java.time.Duration;

/** One action for people: its fields, one a line, then the tails of its output. */
final class ActionDetail {

    private ActionDetail() {}

    static void print(PrintStream out, Action action) {
        field(out, "ID", action.getId());
        field(out, "Operation", action.getOperation().name());
        field(out, "Status", ActionTexts.status(action));
        field(out, "Target", ActionTexts.target(action) + " (" + action.getTarget() + ")");
        field(out, "Host", ActionTexts.host(action) + " (" + action.getHost() + ")");
        field(out, "Attempt", action.getAttempt() + " of " + action.getMaxAttempts());
        field(out, "Priority", action.hasPriority() ? Integer.toString(action.getPriority()) : "");
        field(out, "Input", Json.line(Json.tree(action.getInput())));
        field(
                out,
                "Submitted",
                Times.at(action.getCreatedAt())
                        + (action.getSubmittedBy().isEmpty() ? "" : " by " + action.getSubmittedBy()));
        field(out, "Started", Times.at(action.getStartedAt()));
        field(out, "Finished", Times.at(action.getFinishedAt()));
        field(out, "Idempotency key", action.getIdempotencyKey());
        field(out, "Error", action.getError());
        if (action.hasOutput()) {
            ActionOutput output = action.getOutput();
            field(out, "Exit code", Integer.toString(output.getExitCode()));
            field(out, "Duration", Times.elapsed(Duration.ofMillis(output.getDurationMs())));
            for (Artifact artifact : output.getArtifactsList()) {
                field(
                        out,
                        "Artifact",
                        artifact.getSha256() + "  " + artifact.getName() + "  " + artifact.getSize() + " bytes");
            }
            tail(out, "Stdout (last bytes)", output.getStdoutTail());
            tail(out, "Stderr (last bytes)", output.getStderrTail());
        }
    }

    private static void field(PrintStream out, String name, String value) {
        if (!value.isEmpty()) {
            out.printf("%-16s %s%n", name + ":", value);
        }
    }

    private static void tail(PrintStream out, String name, String text) {
        if (!text.isEmpty()) {
            out.println(name + ":");
            text.lines().forEach(line -> out.println("  " + line));
        }
    }
}
