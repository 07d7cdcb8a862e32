package dev.workcell.agent.task;

import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Task;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** One attempt the agent holds: the task, the signal that cancels it, and who to tell when its process starts. */
public final class Attempt {

    /** How long the process tree of an attempt whose device is lost gets after SIGTERM: the device is gone, there is nothing to finish. */
    private static final Duration LOST_DEVICE_GRACE = Duration.ofSeconds(1);

    private final Task task;
    private final Consumer<Process> onStarted;
    private final CompletableFuture<String> cancellation;
    /** Set when the stop is because the device was lost; shared with the rewritten copies of this attempt. */
    private final AtomicReference<String> deviceLoss;

    public Attempt(Task task, Consumer<Process> onStarted) {
        this(task, onStarted, new CompletableFuture<>(), new AtomicReference<>());
    }

    private Attempt(
            Task task,
            Consumer<Process> onStarted,
            CompletableFuture<String> cancellation,
            AtomicReference<String> deviceLoss) {
        this.task = task;
        this.onStarted = onStarted;
        this.cancellation = cancellation;
        this.deviceLoss = deviceLoss;
    }

    /** The same attempt running a rewritten task (e.g. its inputs' local paths); cancelling either cancels both. */
    Attempt withTask(Task rewritten) {
        return new Attempt(rewritten, onStarted, cancellation, deviceLoss);
    }

    public Task task() {
        return task;
    }

    public AttemptKey key() {
        return AttemptKey.of(task);
    }

    /** Asks the attempt to stop; the first reason given is the one reported. */
    public synchronized void cancel(String reason) {
        cancellation.complete(reason);
    }

    /** Stops the attempt because its target device went offline or away: it fails DEVICE_LOST with this error, unless already stopping. */
    public synchronized void loseDevice(String error) {
        // The loss is recorded before the cancellation fires: the process runner reads it at once for the kill grace.
        if (!cancellation.isDone()) {
            deviceLoss.set(error);
            if (!cancellation.complete(error)) {
                deviceLoss.compareAndSet(error, null);
            }
        }
    }

    /** How long the process tree gets after SIGTERM before SIGKILL: the configured grace, at most a second once the device is lost. */
    synchronized Duration killGrace(Duration configured) {
        return deviceLoss.get() != null && configured.compareTo(LOST_DEVICE_GRACE) > 0 ? LOST_DEVICE_GRACE : configured;
    }

    /** The outcome to report: a stop because the device was lost is a DEVICE_LOST failure, not a cancellation. */
    synchronized Outcome settle(Outcome ended) {
        String lost = deviceLoss.get();
        if (lost == null || ended.status() != ActionStatus.CANCELLED) {
            return ended;
        }
        return Outcome.failed(FailureClass.DEVICE_LOST, lost, ended.output());
    }

    /** Completes with the reason once the attempt is cancelled. */
    public CompletableFuture<String> cancellation() {
        return cancellation;
    }

    public boolean isCancelled() {
        return cancellation.isDone();
    }

    /** Why the attempt was cancelled; only meaningful once it is. */
    public String cancelReason() {
        return cancellation.getNow("");
    }

    /** Called by the process runner once the attempt's process runs. */
    void started(Process process) {
        onStarted.accept(process);
    }
}
