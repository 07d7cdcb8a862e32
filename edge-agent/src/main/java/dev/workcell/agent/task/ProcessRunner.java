package dev.workcell.agent.task;

import dev.workcell.agent.log.AttemptLog;
import dev.workcell.agent.log.LiveLogs;
import dev.workcell.agent.retry.NeedsRetry;
import dev.workcell.agent.retry.RetriesExhaustedException;
import dev.workcell.agent.retry.RetryFunction;
import dev.workcell.agent.retry.TaskRetryError;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command as a real process in a working directory, in a session of its own with a clean
 * environment, streaming its output live and keeping bounded tails, sampling what it uses, and
 * stopping all its processes when the timeout hits, the attempt is cancelled, or it exits.
 */
public final class ProcessRunner {

    /** The original's callers retried a busy executable 4 times in all, 100 ms apart. */
    private static final int START_ATTEMPTS = 4;

    private static final Duration START_RETRY_DELAY = Duration.ofMillis(100);
    /** How libc spells ETXTBSY in the error of a failed start. */
    private static final String LIBC_TEXT_FILE_BUSY = "Text file busy";
    /** How long to wait, after the process ended, for output still held by children it left behind. */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(1);
    /** How long the end of an attempt waits for its last live log chunks to leave. */
    private static final Duration LIVE_LOG_DRAIN = Duration.ofSeconds(2);

    private final int tailBytes;
    private final Duration killGrace;
    private final LiveLogs liveLogs;
    private final TaskRecords records;
    private final TaskEnvironment environment;
    private final Optional<TaskCgroups> cgroups;
    private final RetryFunction retry = new RetryFunction();

    /**
     * @param tailBytes how many bytes of stdout and of stderr to keep, each
     * @param killGrace how long a terminated tree gets before it is killed outright
     * @param liveLogs where the output goes while the process runs
     * @param records where the attempt's processes are written down before it is reported RUNNING
     * @param environment what the command's environment holds
     * @param cgroups the agent's cgroup to give each attempt one of its own in, if it has one
     */
    ProcessRunner(
            int tailBytes,
            Duration killGrace,
            LiveLogs liveLogs,
            TaskRecords records,
            TaskEnvironment environment,
            Optional<TaskCgroups> cgroups) {
        this.tailBytes = tailBytes;
        this.killGrace = killGrace;
        this.liveLogs = liveLogs;
        this.records = records;
        this.environment = environment;
        this.cgroups = cgroups;
    }

    /** Runs the command for the attempt until it exits, times out or is cancelled; none of its processes outlives the run. */
    public Outcome run(Command command, Attempt attempt, Path workDir) {
        long startNanos = System.nanoTime();
        Optional<Path> cgroup = cgroups.map(own -> own.of(attempt.key()));
        TaskMark mark;
        SessionStart.Started started;
        try {
            mark = records.begin(attempt.key(), workDir).mark();
            started = retry.run(
                    attempt.cancellation(),
                    START_ATTEMPTS,
                    START_RETRY_DELAY,
                    () -> start(command, attempt.task(), workDir, mark, cgroup));
        } catch (RetriesExhaustedException busy) {
            return Outcome.failed(FailureClass.RETRYABLE, busy.getCause().getMessage(), output(command, -1, "", "", 0));
        } catch (CancellationException cancelled) {
            return Outcome.cancelled(attempt.cancelReason(), output(command, -1, "", "", 0));
        } catch (Exception cannotStart) {
            return Outcome.failed(
                    FailureClass.AGENT_ERROR,
                    "cannot start " + command.program() + ": " + cannotStart.getMessage(),
                    output(command, -1, "", "", 0));
        }
        Process process = started.process();
        TaskProcesses processes = new TaskProcesses(mark, started.leader(), cgroup);
        try {
            records.started(attempt.key(), started.leader(), cgroup);
        } catch (IOException e) {
            ProcessTree.terminate(Optional.of(process), processes, Duration.ZERO);
            return Outcome.agentError("cannot write down the processes of " + attempt.key() + ", so they were stopped: "
                    + e.getMessage());
        }
        attempt.started(process);
        String name = "attempt-" + attempt.key();
        AttemptLog live = liveLogs.open(attempt.key().actionId(), attempt.key().attempt());
        OutputTail stdout = OutputTail.of(process.getInputStream(), tailBytes, live.stdout(), name + "-stdout");
        OutputTail stderr = OutputTail.of(started.stderr(), tailBytes, live.stderr(), name + "-stderr");
        ResourceSampler resources = ResourceSampler.start(process);

        Ending ending = awaitEnding(process, command.timeout(), attempt);
        if (ending == Ending.CANCELLED) {
            live.discard();
        }
        if (ending != Ending.EXITED) {
            ProcessTree.terminate(Optional.of(process), processes, attempt.killGrace(killGrace));
        }
        ResourceUse used = resources.stop();
        ActionOutput output = output(
                        command,
                        ending == Ending.EXITED ? process.exitValue() : -1,
                        drained(stdout),
                        drained(stderr),
                        Duration.ofNanos(System.nanoTime() - startNanos).toMillis())
                .toBuilder()
                .setCpuMs(used.cpuMs())
                .setMaxRssBytes(used.maxRssBytes())
                .build();
        // What the command left running when it exited by itself must not run beside the next attempt.
        ProcessTree.terminate(Optional.of(process), processes, attempt.killGrace(killGrace));
        if (ending != Ending.CANCELLED) {
            closeLive(live);
        }

        return switch (ending) {
            case EXITED -> Outcome.ofExit(output, command.retryStrings());
            case TIMED_OUT ->
                Outcome.failed(FailureClass.TIMED_OUT, "timed out after " + readable(command.timeout()), output);
            case CANCELLED -> Outcome.cancelled(attempt.cancelReason(), output);
        };
    }

    private SessionStart.Started start(Command command, Task task, Path workDir, TaskMark mark, Optional<Path> cgroup)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command.argv()).directory(workDir.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment.of(command, task, mark));
        try {
            SessionStart.Started started =
                    SessionStart.start(builder, pid -> cgroup.ifPresent(path -> TaskCgroups.enter(path, pid)));
            started.process().getOutputStream().close();
            return started;
        } catch (IOException e) {
            Optional<TaskRetryError> busy = NeedsRetry.check(String.valueOf(e.getMessage()), LIBC_TEXT_FILE_BUSY);
            if (busy.isPresent()) {
                throw busy.get();
            }
            throw e;
        }
    }

    /** How a running process came to an end. */
    private enum Ending {
        EXITED,
        TIMED_OUT,
        CANCELLED
    }

    private static Ending awaitEnding(Process process, Duration timeout, Attempt attempt) {
        try {
            CompletableFuture.anyOf(process.onExit(), attempt.cancellation())
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException timedOut) {
            return process.isAlive() ? Ending.TIMED_OUT : Ending.EXITED;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            attempt.cancel("the agent was interrupted");
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
        return process.isAlive() ? Ending.CANCELLED : Ending.EXITED;
    }

    private static void closeLive(AttemptLog live) {
        try {
            live.close(LIVE_LOG_DRAIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            live.discard();
        }
    }

    private static String drained(OutputTail tail) {
        try {
            tail.awaitEnd(OUTPUT_DRAIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return tail.text();
    }

    private static ActionOutput output(Command command, int exitCode, String stdout, String stderr, long durationMs) {
        return command.typedOutput().toBuilder()
                .setExitCode(exitCode)
                .setStdoutTail(stdout)
                .setStderrTail(stderr)
                .setDurationMs(durationMs)
                .build();
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
