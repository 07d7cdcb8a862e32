package dev.workcell.agent.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Watches the process tree an attempt starts, so tests can check that none of it survives. */
final class ProcessTrees {

    private final CompletableFuture<Process> started = new CompletableFuture<>();

    /** Pass to an Attempt: records its process. */
    void started(Process process) {
        started.complete(process);
    }

    /** Waits for the process to have started children, then returns the whole tree. */
    List<ProcessHandle> awaitTree() throws Exception {
        Process process = started.get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> children = process.descendants().toList();
            if (!children.isEmpty()) {
                Thread.sleep(100); // let the shell start the rest
                return Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
            }
            Thread.sleep(20);
        }
        return fail("the process started no children");
    }

    static void assertAllGone(List<ProcessHandle> tree) {
        assertEquals(List.of(), tree.stream().filter(ProcessTree::running).toList(), "processes still running");
    }
}
