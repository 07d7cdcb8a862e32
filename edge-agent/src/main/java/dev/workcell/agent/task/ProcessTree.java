package dev.workcell.agent.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Stops a process and everything it started: SIGTERM to the whole tree, SIGKILL to what outlives the grace period. */
final class ProcessTree {

    private ProcessTree() {
    }

    /** Terminates the tree and returns once the process itself is gone. */
    static void terminate(Process process, Duration grace) {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        awaitExit(tree, grace);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        awaitExit(List.of(process.toHandle()), grace);
    }

    private static void awaitExit(List<ProcessHandle> tree, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            for (ProcessHandle handle : tree) {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException | ExecutionException stillAlive) {
            // the caller kills what is left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
