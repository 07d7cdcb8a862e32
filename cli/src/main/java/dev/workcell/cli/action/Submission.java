package dev.workcell.cli.action;

import dev.workcell.cli.CliException;
import dev.workcell.cli.DurationConverter;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.Companion;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.SubmitActionResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every submit shares: the targets (one action each) or the dimensions (one action), the submit's own options, and then printing or waiting. */
public class Submission {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Mixin
    WaitOptions waiting;

    @Option(
            names = {"-t", "--target"},
            split = ",",
            paramLabel = "DEVICE",
            description = "Target device: id, serial or name; repeat (or comma-separate) for one action per target.")
    List<String> targets = new ArrayList<>();

    @Option(
            names = "--dim",
            paramLabel = "KEY=VALUE",
            description = "Instead of --target: one action for any device with"
                    + " this dimension (repeatable): a value, a set a|b, a comparison >=N, >N, <=N, <N, or a prefix p*;"
                    + " e.g. --dim os=android --dim sdk='>=33' --dim gpu='adreno*'.")
    Map<String, String> dimensions = new LinkedHashMap<>();

    @Option(
            names = "--companion",
            paramLabel = "KEY=VALUE[,KEY=VALUE...]",
            description =
                    "With --dim: one more device of the"
                            + " same host, with these dimensions, held with the one the task runs on (repeat for each; at most 7); the task"
                            + " finds their serials in WORKCELL_COMPANION_SERIALS. E.g. --dim model='pixel 8' --companion abi=x86_64.")
    List<String> companions = new ArrayList<>();

    @Option(
            names = "--idempotency-key",
            paramLabel = "KEY",
            description = "The same key and request again returns the action it created (one target only).")
    String idempotencyKey;

    @Option(names = "--force", description = "Run again even when an equivalent action already succeeded.")
    boolean force;

    @Option(
            names = "--queue-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "The action EXPIRES when it waits in the queue longer (default: the control plane's, 24h).")
    Duration queueTimeout;

    @Option(
            names = "--execution-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "An attempt running longer fails TIMED_OUT (default: the control plane's, 2h).")
    Duration executionTimeout;

    @Option(
            names = "--priority",
            paramLabel = "0-255",
            description =
                    "0 goes first ... 255 last (default: 100); a waiting action is overtaken for a bounded time only.")
    Integer priority;

    /** Submits {@code request} once per target (its own target when no --target was given), then prints or waits. */
    public int run(SubmitActionRequest request) {
        return run(controlPlane -> request);
    }

    /** The same, for a request made from what the control plane says (e.g. an earlier action). */
    public int run(Function<ControlPlane, SubmitActionRequest> requestFrom) {
        try (ControlPlane controlPlane = connection.open()) {
            return submit(controlPlane, requestFrom.apply(controlPlane));
        }
    }

    private int submit(ControlPlane controlPlane, SubmitActionRequest request) {
        if (!dimensions.isEmpty()) {
            if (!targets.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "give --target or --dim, not both");
            }
            SubmitActionRequest.Builder byDimensions =
                    options(request).clearTarget().putAllDimensions(dimensions);
            companions.forEach(companion -> byDimensions.addCompanions(companion(companion)));
            SubmitActionResponse response = controlPlane.actions().submit(byDimensions.build());
            return waiting.finish(controlPlane, List.of(response.getAction()), output);
        }
        if (!companions.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "--companion goes with --dim (a --target names one device)");
        }
        List<String> to = targets.isEmpty() && !request.getTarget().isEmpty() ? List.of(request.getTarget()) : targets;
        if (to.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "--target is required");
        }
        if (idempotencyKey != null && to.size() > 1) {
            throw new CliException(ExitCodes.USAGE, "--idempotency-key names one action: give one --target");
        }
        SubmitActionRequest.Builder template = options(request);
        List<Action> actions = new ArrayList<>();
        for (String target : to) {
            SubmitActionResponse response =
                    controlPlane.actions().submit(template.setTarget(target).build());
            if (!response.getCreated() && output.table()) {
                System.err.println("workcell: " + target + ": returned the existing action "
                        + response.getAction().getId()
                        + " (" + response.getAction().getStatus() + "): an equivalent one, or the same idempotency key;"
                        + " --force runs it again");
            }
            actions.add(response.getAction());
        }
        return waiting.finish(controlPlane, actions, output);
    }

    /** One --companion: KEY=VALUE pairs, comma-separated. */
    private static Companion companion(String text) {
        Companion.Builder companion = Companion.newBuilder();
        for (String pair : text.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new CliException(
                        ExitCodes.USAGE, "--companion " + text + ": give KEY=VALUE pairs, comma-separated");
            }
            companion.putDimensions(
                    pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return companion.build();
    }

    /** The request with this submit's own options. */
    private SubmitActionRequest.Builder options(SubmitActionRequest request) {
        SubmitActionRequest.Builder template = request.toBuilder().setForce(force || request.getForce());
        if (idempotencyKey != null) {
            template.setIdempotencyKey(idempotencyKey);
        }
        if (queueTimeout != null) {
            template.setQueueTimeoutSeconds(Math.toIntExact(queueTimeout.toSeconds()));
        }
        if (executionTimeout != null) {
            template.setExecutionTimeoutSeconds(Math.toIntExact(executionTimeout.toSeconds()));
        }
        if (priority != null) {
            template.setPriority(priority);
        }
        return template;
    }
}
