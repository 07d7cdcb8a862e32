package dev.workcell.agent.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Stops a process and everything it started: SIGTERM to the whole tree, SIGKILL to what outlives the grace period. */
final class ProcessTree {

    /** How often to look whether the tree is gone (the JDK's own wait on non-children polls far slower). */
    private static final long POLL_MILLIS = 20;

    private ProcessTree() {
    }

    /** Terminates the tree and returns once it is gone, or the grace period passed twice. */
    static void terminate(Process process, Duration grace) {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        awaitExit(tree, grace);
        tree.stream().filter(ProcessTree::running).forEach(ProcessHandle::destroyForcibly);
        awaitExit(tree, grace);
    }

    /**
     * Whether the process still runs. A zombie (dead, not yet reaped by its new parent, which may be
     * slow or, for an agent that is itself PID 1 in a container, never come) does not.
     */
    static boolean running(ProcessHandle process) {
        return process.isAlive() && !zombie(process.pid());
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException noProcfs) {
            return false;
        }
    }

    private static void awaitExit(List<ProcessHandle> tree, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (tree.stream().anyMatch(ProcessTree::running) && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
