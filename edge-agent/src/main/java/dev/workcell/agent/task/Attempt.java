package dev.workcell.agent.task;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.workcell.proto.v1.Task;

/** One attempt the agent holds: the task, the signal that cancels it, and who to tell when its process starts. */
public final class Attempt {

    private final Task task;
    private final Consumer<Process> onStarted;
    private final CompletableFuture<String> cancellation;

    public Attempt(Task task, Consumer<Process> onStarted) {
        this(task, onStarted, new CompletableFuture<>());
    }

    private Attempt(Task task, Consumer<Process> onStarted, CompletableFuture<String> cancellation) {
        this.task = task;
        this.onStarted = onStarted;
        this.cancellation = cancellation;
    }

    /** The same attempt running a rewritten task (e.g. its inputs' local paths); cancelling either cancels both. */
    Attempt withTask(Task rewritten) {
        return new Attempt(rewritten, onStarted, cancellation);
    }

    public Task task() {
        return task;
    }

    public AttemptKey key() {
        return AttemptKey.of(task);
    }

    /** Asks the attempt to stop; the first reason given is the one reported. */
    public void cancel(String reason) {
        cancellation.complete(reason);
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
