package dev.workcell.agent.task;

import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The attempts the agent holds: running ones, and finished ones whose final update is not yet acknowledged. */
public final class HeldAttempts {

    private final Map<AttemptKey, Attempt> running = new LinkedHashMap<>();
    private final Map<AttemptKey, TaskUpdate> finished = new LinkedHashMap<>();

    /**
     * Holds the attempt as running, unless something is in the way.
     *
     * @return the attempt in the way: the same one (already held), or another one running on the same target
     */
    public synchronized Optional<AttemptKey> hold(Attempt attempt) {
        AttemptKey key = attempt.key();
        if (running.containsKey(key) || finished.containsKey(key)) {
            return Optional.of(key);
        }
        String target = attempt.task().getTargetSerial();
        Optional<AttemptKey> busy = running.values().stream()
                .filter(other -> other.task().getTargetSerial().equals(target))
                .map(Attempt::key)
                .findFirst();
        if (busy.isEmpty()) {
            running.put(key, attempt);
        }
        return busy;
    }

    public synchronized boolean isRunning(AttemptKey key) {
        return running.containsKey(key);
    }

    public synchronized Optional<Attempt> running(AttemptKey key) {
        return Optional.ofNullable(running.get(key));
    }

    public synchronized List<Attempt> running() {
        return List.copyOf(running.values());
    }

    /** Keeps the final update of a running attempt until acknowledged; false when the attempt was let go and must not be reported. */
    public synchronized boolean finish(TaskUpdate update) {
        AttemptKey key = AttemptKey.of(update);
        if (running.remove(key) == null) {
            return false;
        }
        finished.put(key, update);
        return true;
    }

    /** Keeps a final update for an attempt not running here (refused, spooled by an earlier run, rewritten) until acknowledged. */
    public synchronized void holdFinal(TaskUpdate update) {
        finished.put(AttemptKey.of(update), update);
    }

    /**
     * Forgets a final update the control plane acknowledged, accepted or not.
     *
     * @return whether it was held with the acknowledged status, and so is forgotten now
     */
    public synchronized boolean acknowledge(UpdateAck ack) {
        TaskUpdate update = finished.get(AttemptKey.of(ack));
        if (update != null && update.getStatus() == ack.getStatus()) {
            finished.remove(AttemptKey.of(ack));
            return true;
        }
        return false;
    }

    /** Lets go of an attempt the control plane gave up on; returns it while it still runs, so it can be stopped. */
    public synchronized Optional<Attempt> release(AttemptKey key) {
        finished.remove(key);
        return Optional.ofNullable(running.remove(key));
    }

    /** What to list in Hello: running attempts as RUNNING, finished ones with their final status. */
    public synchronized List<HeldAttempt> list() {
        List<HeldAttempt> held = new ArrayList<>();
        running.keySet().forEach(key -> held.add(heldAttempt(key, ActionStatus.RUNNING)));
        finished.forEach((key, update) -> held.add(heldAttempt(key, update.getStatus())));
        return held;
    }

    private static HeldAttempt heldAttempt(AttemptKey key, ActionStatus status) {
        return HeldAttempt.newBuilder()
                .setActionId(key.actionId())
                .setAttempt(key.attempt())
                .setStatus(status)
                .build();
    }
}
