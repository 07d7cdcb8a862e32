package dev.workcell.agent.task;

import dev.workcell.agent.process.ProcessStat;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Stops an attempt's processes: SIGTERM to each, SIGKILL to what outlives the grace period. They are
 * looked for again until none is left, so a process started while the kill goes on (by a SIGTERM
 * handler, say) or one that left the tree is stopped too.
 */
final class ProcessTree {

    /** How often to look whether the processes are gone (the JDK's own wait on non-children polls far slower). */
    private static final long POLL_MILLIS = 20;

    private ProcessTree() {}

    /**
     * Terminates the attempt's processes and returns once they are gone, or the grace period passed twice.
     *
     * @param command the attempt's command, when this agent started it: its descendants count too
     * @return how many processes were signalled
     */
    static int terminate(Optional<Process> command, TaskProcesses processes, Duration grace) {
        Set<ProcessHandle> signalled = new HashSet<>();
        signalAll(command, processes, grace, signalled, ProcessHandle::destroy);
        processes.killCgroup();
        signalAll(command, processes, grace, signalled, ProcessHandle::destroyForcibly);
        processes.removeCgroup();
        return signalled.size();
    }

    /**
     * Whether the process still runs. A zombie (dead, not yet reaped by its new parent, which may be
     * slow or, for an agent that is itself PID 1 in a container, never come) does not.
     */
    static boolean running(ProcessHandle process) {
        return process.isAlive()
                && ProcessStat.of(process.pid()).map(stat -> !stat.zombie()).orElse(false);
    }

    /** Signals every process found until none is left or the limit passed; each once, the SIGKILL included. */
    private static void signalAll(
            Optional<Process> command,
            TaskProcesses processes,
            Duration limit,
            Set<ProcessHandle> signalled,
            java.util.function.Consumer<ProcessHandle> signal) {
        Set<ProcessHandle> now = new HashSet<>();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            for (List<ProcessHandle> found = find(command, processes);
                    !found.isEmpty();
                    found = find(command, processes)) {
                found.stream().filter(now::add).forEach(signal);
                signalled.addAll(found);
                if (System.nanoTime() > deadline) {
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<ProcessHandle> find(Optional<Process> command, TaskProcesses processes) {
        Stream<ProcessHandle> tree = command.stream()
                .flatMap(process -> Stream.concat(Stream.of(process.toHandle()), process.descendants()));
        return Stream.concat(tree, processes.find().stream())
                .filter(ProcessTree::running)
                .distinct()
                .toList();
    }
}
