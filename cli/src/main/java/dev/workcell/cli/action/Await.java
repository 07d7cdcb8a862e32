package dev.workcell.cli.action;

import com.google.protobuf.util.Timestamps;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.WatchActionsRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Waits until actions are over (and their followed logs complete), showing each change, and returns their last states. */
final class Await {

    /** How long followed logs may take to end after their actions are over. */
    static final long LOG_GRACE_NANOS = Duration.ofSeconds(10).toNanos();

    static final Duration POLL = Duration.ofMillis(100);

    private Await() {}

    /** {@code timeout} null waits as long as it takes; a timed-out wait returns actions that are not over. */
    static List<Action> until(
            ControlPlane controlPlane,
            List<Action> actions,
            Duration timeout,
            Progress progress,
            LogFollowers followers) {
        Map<String, Action> latest = new LinkedHashMap<>();
        actions.forEach(action -> latest.put(action.getId(), action));
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        try (ActionTracker tracker = new ActionTracker(controlPlane);
                progress) {
            latest.values().forEach(progress::update);
            latest.keySet()
                    .forEach(id -> tracker.watch(
                            WatchActionsRequest.newBuilder().setId(id).build()));
            long overSince = 0;
            while (System.nanoTime() < deadline) {
                boolean over = latest.values().stream().allMatch(ActionTexts::terminal);
                if (over && followers.done()) {
                    break;
                }
                if (over) {
                    overSince = overSince == 0 ? System.nanoTime() : overSince;
                    if (System.nanoTime() - overSince > LOG_GRACE_NANOS) {
                        break;
                    }
                }
                Action changed = tracker.poll(POLL);
                if (changed != null
                        && latest.containsKey(changed.getId())
                        && newer(changed, latest.get(changed.getId()))) {
                    latest.put(changed.getId(), changed);
                    progress.update(changed);
                }
                progress.tick();
            }
        }
        return new ArrayList<>(latest.values());
    }

    /** A watch may deliver a change twice, or an older state after it reconnected: never go back. */
    static boolean newer(Action changed, Action known) {
        if (ActionTexts.terminal(known) && !ActionTexts.terminal(changed)) {
            return false;
        }
        return Timestamps.compare(changed.getUpdatedAt(), known.getUpdatedAt()) >= 0;
    }
}
