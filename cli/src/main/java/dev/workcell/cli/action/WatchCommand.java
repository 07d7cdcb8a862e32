package dev.workcell.cli.action;

import dev.workcell.cli.CliException;
import dev.workcell.cli.DurationConverter;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.GetActionRequest;
import dev.workcell.proto.v1.ListActionsResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * workcell watch: a live view of actions; the given ones until they are over (exit code as with
 * --wait), or the latest ones matching the filters and every later change, until Ctrl-C or --for.
 */
@Command(
        name = "watch",
        description = {
            "A live view of actions: the given ones until they are over,",
            "or the latest matching the filters and each change after, until Ctrl-C (or --for)."
        })
public class WatchCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Mixin
    FilterOptions filters;

    @Parameters(arity = "0..*", paramLabel = "ID", description = "Actions to watch until they are over.")
    List<String> ids = new ArrayList<>();

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "With ids: give up after this long, exit code 6.")
    Duration timeout;

    @Option(
            names = "--for",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "With filters: stop after this long, exit code 0.")
    Duration duration;

    @Option(
            names = {"-n", "--limit"},
            paramLabel = "N",
            description = "With filters: how many of the latest to start with (default ${DEFAULT-VALUE}).")
    int limit = 20;

    @Override
    public Integer call() {
        if (!ids.isEmpty() && filters.any()) {
            throw new CliException(ExitCodes.USAGE, "give action ids or filters, not both");
        }
        try (ControlPlane controlPlane = connection.open()) {
            return ids.isEmpty() ? feed(controlPlane) : until(controlPlane);
        }
    }

    private int until(ControlPlane controlPlane) {
        List<Action> actions = ids.stream()
                .map(id -> controlPlane
                        .actions()
                        .get(GetActionRequest.newBuilder().setId(id).build()))
                .toList();
        return WaitOptions.outcome(
                Await.until(controlPlane, actions, timeout, progress(controlPlane), LogFollowers.none()), timeout);
    }

    private int feed(ControlPlane controlPlane) {
        ListActionsResponse latest =
                controlPlane.actions().list(filters.list().setPageSize(limit).build());
        Progress progress = progress(controlPlane);
        Map<String, Action> known = new HashMap<>();
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        try (ActionTracker tracker = new ActionTracker(controlPlane);
                progress) {
            List<Action> oldestFirst = new ArrayList<>(latest.getActionsList());
            Collections.reverse(oldestFirst);
            for (Action action : oldestFirst) {
                known.put(action.getId(), action);
                progress.update(action);
            }
            tracker.watch(
                    filters.watch().setResumeToken(latest.getResumeToken()).build());
            while (System.nanoTime() < end) {
                Action changed = tracker.poll(Await.POLL);
                if (changed != null
                        && (!known.containsKey(changed.getId()) || Await.newer(changed, known.get(changed.getId())))) {
                    known.put(changed.getId(), changed);
                    progress.update(changed);
                }
                progress.tick();
            }
        }
        return ExitCodes.OK;
    }

    private Progress progress(ControlPlane controlPlane) {
        return WaitOptions.shown(controlPlane, output, new JsonLinesProgress(System.out));
    }
}
