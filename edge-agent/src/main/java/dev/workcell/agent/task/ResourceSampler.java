package dev.workcell.agent.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Samples a running process tree for what Linux tells cheaply: each process's CPU time and its
 * peak resident memory (VmHWM in /proc/PID/status). Best effort: a process that lives and dies
 * between two samples is not counted.
 */
final class ResourceSampler {

    static final Duration INTERVAL = Duration.ofMillis(100);
    /** One thread samples every running attempt. */
    private static final ScheduledExecutorService SAMPLER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "resource-sampler");
        thread.setDaemon(true);
        return thread;
    });

    private final Process process;
    private final Map<Long, Long> cpuMsByPid = new HashMap<>();
    private final ScheduledFuture<?> sampling;
    private long maxRssBytes;

    private ResourceSampler(Process process) {
        this.process = process;
        this.sampling = SAMPLER.scheduleAtFixedRate(this::sample, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts sampling the process and its descendants. */
    static ResourceSampler start(Process process) {
        return new ResourceSampler(process);
    }

    /** Stops sampling and says what the tree used: CPU summed over its processes, the largest peak memory of one. */
    synchronized ResourceUse stop() {
        sampling.cancel(false);
        sample();
        return new ResourceUse(
                cpuMsByPid.values().stream().mapToLong(Long::longValue).sum(), maxRssBytes);
    }

    private synchronized void sample() {
        Stream.concat(Stream.of(process.toHandle()), process.descendants()).forEach(handle -> {
            handle.info()
                    .totalCpuDuration()
                    .ifPresent(cpu -> cpuMsByPid.merge(handle.pid(), cpu.toMillis(), Math::max));
            maxRssBytes = Math.max(maxRssBytes, peakRssBytes(handle.pid()));
        });
    }

    /** VmHWM of the process in bytes; 0 when /proc does not say (gone, or not Linux). */
    private static long peakRssBytes(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(line -> line.startsWith("VmHWM:"))
                    .map(line ->
                            line.substring("VmHWM:".length()).replace("kB", "").strip())
                    .mapToLong(kiloBytes -> Long.parseLong(kiloBytes) * 1024)
                    .findFirst()
                    .orElse(0);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
