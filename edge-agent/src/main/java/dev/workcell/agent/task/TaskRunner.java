package dev.workcell.agent.task;

import dev.workcell.agent.artifact.ArtifactException;
import dev.workcell.agent.artifact.InputArtifacts;
import dev.workcell.agent.artifact.OutputStash;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs the tasks the control plane pushes, one at a time per target, on a bounded pool of worker
 * threads (never on the caller's thread), each attempt in its own working directory with its input
 * artifacts fetched first; its final update, with its output files, goes to the outbox before it is reported.
 */
public final class TaskRunner {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);

    private final Map<Operation, TaskExecutor> executors = new EnumMap<>(Operation.class);
    private final HeldAttempts held;
    private final WorkDirs workDirs;
    private final TaskRecords records;
    private final InputArtifacts inputs;
    private final OutputStash stash;
    private final ExecutorService pool;

    TaskRunner(
            List<TaskExecutor> executors,
            HeldAttempts held,
            WorkDirs workDirs,
            TaskRecords records,
            InputArtifacts inputs,
            OutputStash stash,
            int maxParallelTasks) {
        executors.forEach(executor -> this.executors.put(executor.operation(), executor));
        this.held = held;
        this.workDirs = workDirs;
        this.records = records;
        this.inputs = inputs;
        this.stash = stash;
        this.pool = Executors.newFixedThreadPool(maxParallelTasks, daemonThreads("task-runner-"));
    }

    /** The operations this agent can run. */
    public List<Operation> operations() {
        return List.copyOf(executors.keySet());
    }

    /**
     * Starts the task without blocking; reports RUNNING once its process runs, then its final update.
     * A task for a busy target is refused at once; a task already held is ignored.
     */
    public void start(Task task, Consumer<TaskUpdate> report) {
        start(task, report, Runnable::run);
    }

    /** The same, the refusal of a task that cannot start written to the outbox by {@code outboxWrites}. */
    public void start(Task task, Consumer<TaskUpdate> report, Executor outboxWrites) {
        AttemptKey key = AttemptKey.of(task);
        Attempt attempt = new Attempt(task, process -> reportRunning(key, report));
        Optional<AttemptKey> inTheWay = held.hold(attempt);
        if (inTheWay.filter(key::equals).isPresent()) {
            LOG.infof("attempt %s is already held here; ignoring it being sent again", key);
        } else if (inTheWay.isPresent()) {
            String busy = "target " + task.getTargetSerial() + " is busy with action "
                    + inTheWay.get().actionId();
            outboxWrites.execute(() -> refuse(task, busy, report));
        } else {
            LOG.infof("starting %s attempt %s on %s", task.getOperation(), key, task.getTargetSerial());
            submit(attempt, report);
        }
    }

    /** Stops a running attempt; it reports CANCELLED unless it ended by itself first. */
    public void cancel(AttemptKey key) {
        held.running(key)
                .ifPresentOrElse(
                        attempt -> attempt.cancel(Outcome.CANCELLED_BY_REQUEST),
                        () -> LOG.infof("asked to cancel %s, which is not running here", key));
    }

    /**
     * Forgets an attempt the control plane gave up on, stopping it at once if it runs; it is never
     * reported. Its outbox entry is removed by {@code outboxWrites}.
     */
    public void abandon(AttemptKey key, Executor outboxWrites) {
        held.release(key).ifPresent(attempt -> attempt.cancel("abandoned by the control plane"));
        outboxWrites.execute(() -> stash.forget(key.actionId(), key.attempt()));
        LOG.infof("abandoned attempt %s", key);
    }

    /**
     * Stops every running attempt and waits, at most the limit, for them to end. They are let go
     * first, so they are never reported: the control plane finds them gone and retries them.
     */
    public void shutdown(Duration limit) {
        held.running()
                .forEach(attempt ->
                        held.release(attempt.key()).ifPresent(running -> running.cancel("the agent is shutting down")));
        pool.shutdown();
        try {
            if (!pool.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf(
                        "attempts still running after %s: %s",
                        limit, held.running().stream().map(Attempt::key).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Attempt attempt, Consumer<TaskUpdate> report) {
        try {
            pool.execute(() -> finish(attempt, () -> run(attempt), report));
        } catch (RejectedExecutionException shuttingDown) {
            finish(
                    attempt,
                    () -> keep(attempt, Outcome.agentError("the agent is shutting down"), Optional.empty()),
                    report);
        }
    }

    /** Runs the attempt to its end and keeps its final update in the outbox; returns that update. */
    private TaskUpdate run(Attempt attempt) {
        Task task = attempt.task();
        TaskExecutor executor = executors.get(task.getOperation());
        if (executor == null) {
            return keep(
                    attempt,
                    Outcome.agentError("operation " + task.getOperation() + " is not configured on this agent"),
                    Optional.empty());
        }
        if (attempt.isCancelled()) {
            return keep(
                    attempt,
                    Outcome.cancelled(
                            attempt.cancelReason(),
                            ActionOutput.newBuilder().setExitCode(-1).build()),
                    Optional.empty());
        }
        Path workDir;
        try {
            workDir = workDirs.path(attempt.key());
            records.begin(attempt.key(), workDir);
            workDirs.create(workDir);
        } catch (IOException | InvalidTaskException e) {
            records.end(attempt.key());
            return keep(
                    attempt,
                    Outcome.agentError(
                            "cannot create a working directory for " + attempt.key() + ": " + e.getMessage()),
                    Optional.empty());
        }
        try {
            return keep(attempt, execute(executor, attempt, workDir), Optional.of(workDir));
        } finally {
            workDirs.remove(workDir);
            records.end(attempt.key());
        }
    }

    private Outcome execute(TaskExecutor executor, Attempt attempt, Path workDir) {
        ActionOutput none = ActionOutput.newBuilder().setExitCode(-1).build();
        try {
            return executor.execute(
                    attempt.withTask(inputs.fetch(attempt.task(), workDir, attempt.cancellation())), workDir);
        } catch (InvalidTaskException e) {
            return Outcome.agentError(e.getMessage());
        } catch (ArtifactException e) {
            return e.retryable()
                    ? Outcome.failed(FailureClass.RETRYABLE, e.getMessage(), none)
                    : Outcome.agentError(e.getMessage());
        } catch (CancellationException e) {
            return Outcome.cancelled(attempt.cancelReason(), none);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.cancelled("the agent was interrupted", none);
        } catch (RuntimeException e) {
            LOG.errorf(e, "attempt %s failed inside the agent", attempt.key());
            return Outcome.agentError("the agent failed running the task: " + e);
        }
    }

    /** Writes the final update, with the output files in the working directory, to the outbox. */
    private TaskUpdate keep(Attempt attempt, Outcome outcome, Optional<Path> workDir) {
        return stash.keep(attempt.task(), attempt.settle(outcome).toUpdate(attempt.key()), workDir);
    }

    /** Ends the attempt with the final update the ending kept; when it could not be kept, the attempt is let go unreported. */
    private void finish(Attempt attempt, Supplier<TaskUpdate> ending, Consumer<TaskUpdate> report) {
        TaskUpdate update;
        try {
            update = ending.get();
        } catch (UncheckedIOException e) {
            LOG.errorf("attempt %s ended but its result is lost: %s", attempt.key(), e.getMessage());
            held.release(attempt.key());
            return;
        }
        if (held.finish(update)) {
            LOG.infof("attempt %s ended %s%s", attempt.key(), update.getStatus(), explanation(update));
            report.accept(update);
        } else {
            stash.forget(update.getActionId(), update.getAttempt());
            LOG.infof("attempt %s ended after it was let go; not reporting it", attempt.key());
        }
    }

    private static String explanation(TaskUpdate update) {
        String failure = update.getFailure() == FailureClass.FAILURE_CLASS_UNSPECIFIED ? "" : " " + update.getFailure();
        return failure + (update.getError().isEmpty() ? "" : ": " + update.getError());
    }

    private void refuse(Task task, String error, Consumer<TaskUpdate> report) {
        AttemptKey key = AttemptKey.of(task);
        LOG.warnf("refusing attempt %s: %s", key, error);
        TaskUpdate update;
        try {
            update = stash.keep(task, Outcome.agentError(error).toUpdate(key), Optional.empty());
        } catch (UncheckedIOException e) {
            LOG.errorf("the refusal of attempt %s is lost: %s", key, e.getMessage());
            return;
        }
        held.holdFinal(update);
        report.accept(update);
    }

    private void reportRunning(AttemptKey key, Consumer<TaskUpdate> report) {
        if (held.isRunning(key)) {
            report.accept(TaskUpdate.newBuilder()
                    .setActionId(key.actionId())
                    .setAttempt(key.attempt())
                    .setStatus(ActionStatus.RUNNING)
                    .build());
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
