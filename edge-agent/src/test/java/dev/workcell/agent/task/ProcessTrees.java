package dev.workcell.agent.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        await("the process starts children")
                .atMost(Duration.ofSeconds(5))
                .until(() -> process.descendants().findAny().isPresent());
        Thread.sleep(100); // let the shell start the rest
        return Stream.concat(process.descendants(), Stream.of(process.toHandle()))
                .toList();
    }

    /**
     * Writes, into the directory, a script that runs the body as a task would, where
     * {@code sh $STUBBORN} starts a process that ignores SIGTERM and writes down its pid, and
     * {@code $RECORD} writes down the calling shell's: to {@code $PIDS}, which {@link #recordedPids} reads.
     */
    static Path script(Path dir, String body) throws IOException {
        Path pidFile = dir.resolve("pids");
        Path stubborn = Files.writeString(
                dir.resolve("stubborn.sh"), "trap '' TERM\necho $$ >> " + pidFile + "\nexec sleep 300\n");
        return Files.writeString(
                dir.resolve("tree.sh"),
                "PIDS=" + pidFile + "\nSTUBBORN=" + stubborn + "\nRECORD='echo $$ >> $PIDS'\n" + body + "\n");
    }

    /** The pids written down by the processes of a {@link #script}. */
    static List<Long> recordedPids(Path dir) throws IOException {
        Path pidFile = dir.resolve("pids");
        return Files.exists(pidFile)
                ? Files.readAllLines(pidFile).stream()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty())
                        .map(Long::valueOf)
                        .distinct()
                        .toList()
                : List.of();
    }

    /** Those of the pids whose process still runs. */
    static List<Long> running(List<Long> pids) {
        return pids.stream()
                .filter(pid ->
                        ProcessHandle.of(pid).filter(ProcessTree::running).isPresent())
                .toList();
    }

    static void assertAllGone(List<ProcessHandle> tree) {
        assertThat(tree.stream().filter(ProcessTree::running).toList())
                .as("processes still running")
                .isEqualTo(List.of());
    }
}
