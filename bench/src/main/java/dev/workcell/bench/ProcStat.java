package dev.workcell.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** CPU time and memory of processes, read from /proc (Linux): no agent inside the measured JVM. */
final class ProcStat {

    /** USER_HZ: the unit of utime and stime in /proc/PID/stat, 100 on every mainstream Linux. */
    private static final double TICKS_PER_SECOND = 100;

    /** What a process holds at one moment. */
    record Footprint(long rssKb, int threads, int fds) {
        @Override
        public String toString() {
            return String.format("RSS %.0f MB, %d threads, %d fds", rssKb / 1024.0, threads, fds);
        }
    }

    /** CPU of the control plane, its PostgreSQL and the bench over a window, each in % of one core. */
    record Usage(double controlPlane, double postgres, double bench) {
        @Override
        public String toString() {
            return String.format(
                    "control plane %.1f %%, PostgreSQL %.1f %%, bench JVM %.1f %% of one core",
                    controlPlane, postgres, bench);
        }
    }

    /** CPU seconds of the control plane, its PostgreSQL (postmaster and backends) and the bench over a window. */
    record CpuSeconds(double controlPlane, double postgres, double bench) {}

    /** CPU seconds of a JVM's JIT compiler threads and garbage collector threads, so far. */
    record JvmThreads(double compilers, double collectors) {
        JvmThreads minus(JvmThreads before) {
            return new JvmThreads(compilers - before.compilers, collectors - before.collectors);
        }
    }

    /** The CPU seconds of a JVM's compiler ("C1/C2 CompilerThread") and GC ("GC Thread", "G1 ...") threads. */
    static JvmThreads jvmThreads(long pid) {
        double compilers = 0;
        double collectors = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                List<String> comm = lines(task.resolve("comm"));
                List<String> stat = lines(task.resolve("stat"));
                if (comm.isEmpty() || stat.isEmpty()) {
                    continue;
                }
                double seconds = ticks(stat.get(0)) / TICKS_PER_SECOND;
                String name = comm.get(0);
                if (name.contains("CompilerThre")) {
                    compilers += seconds;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    collectors += seconds;
                }
            }
        } catch (IOException gone) {
            return new JvmThreads(0, 0);
        }
        return new JvmThreads(compilers, collectors);
    }

    /** Where the window started: each process's CPU seconds then. */
    record Mark(
            long controlPlane, long postmaster, Map<Long, Double> cp, Map<Long, Double> pg, Map<Long, Double> bench) {
        /** A backend that ended in the window is missed: the control plane's pooled connections live through it. */
        CpuSeconds elapsed() {
            Mark now = mark(controlPlane, postmaster);
            return new CpuSeconds(used(cp, now.cp), used(pg, now.pg), used(bench, now.bench));
        }
    }

    private ProcStat() {}

    static Mark mark(long controlPlane, long postmaster) {
        return new Mark(
                controlPlane,
                postmaster,
                cpuSeconds(List.of(controlPlane)),
                cpuSeconds(withChildren(postmaster)),
                cpuSeconds(List.of(ProcessHandle.current().pid())));
    }

    /** Sleeps for the window and returns how busy each process was meanwhile (0 for a pid of 0). */
    static Usage over(Duration window, long controlPlane, long postmaster) throws InterruptedException {
        List<Long> self = List.of(ProcessHandle.current().pid());
        Map<Long, Double> cp = cpuSeconds(List.of(controlPlane));
        Map<Long, Double> pg = cpuSeconds(withChildren(postmaster));
        Map<Long, Double> bench = cpuSeconds(self);
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Usage(
                percent(cp, cpuSeconds(List.of(controlPlane)), seconds),
                percent(pg, cpuSeconds(withChildren(postmaster)), seconds),
                percent(bench, cpuSeconds(self), seconds));
    }

    static Footprint footprint(long pid) {
        long rss = 0;
        int threads = 0;
        for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return new Footprint(rss, threads, (int) fds.count());
        } catch (IOException gone) {
            return new Footprint(rss, threads, 0);
        }
    }

    /** The JVM options (-X..., -XX:...) a process was started with, from its command line. */
    static String jvmOptions(long pid) {
        try {
            String[] args = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                    .split("\0");
            return String.join(
                    " ", Stream.of(args).filter(arg -> arg.startsWith("-X")).toList());
        } catch (IOException gone) {
            return "?";
        }
    }

    private static double percent(Map<Long, Double> before, Map<Long, Double> after, double wallSeconds) {
        return 100 * used(before, after) / wallSeconds;
    }

    /** A process that started in the window counts whole; one that ended in it is missed. */
    private static double used(Map<Long, Double> before, Map<Long, Double> after) {
        double used = 0;
        for (var process : after.entrySet()) {
            used += process.getValue() - before.getOrDefault(process.getKey(), 0.0);
        }
        return used;
    }

    private static List<Long> withChildren(long pid) {
        List<Long> pids = new ArrayList<>();
        if (pid > 0) {
            pids.add(pid);
            ProcessHandle.of(pid).ifPresent(parent -> parent.children().forEach(child -> pids.add(child.pid())));
        }
        return pids;
    }

    /** utime + stime of one /proc stat line: fields 14 and 15, counted after the command name in parentheses. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static Map<Long, Double> cpuSeconds(List<Long> pids) {
        Map<Long, Double> seconds = new HashMap<>();
        for (long pid : pids) {
            List<String> stat = lines(Path.of("/proc", Long.toString(pid), "stat"));
            if (pid > 0 && !stat.isEmpty()) {
                seconds.put(pid, ticks(stat.get(0)) / TICKS_PER_SECOND);
            }
        }
        return seconds;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException gone) {
            return List.of();
        }
    }
}
