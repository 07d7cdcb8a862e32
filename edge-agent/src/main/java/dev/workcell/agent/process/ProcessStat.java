package dev.workcell.agent.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What /proc/PID/stat says of a process: its group, session, state, and start time in clock ticks
 * since boot, which with the pid names one process for good (a reused pid has a later start time).
 */
public record ProcessStat(long pid, char state, long pgid, long session, long startTime) {

    private static final Path PROC = Path.of("/proc");

    /** The process's stat, empty when it is gone (or there is no /proc). */
    public static Optional<ProcessStat> of(long pid) {
        try {
            return Optional.of(
                    parse(pid, Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"))));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** Every process visible in /proc now. */
    public static List<ProcessStat> all() {
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .flatMap(name -> of(Long.parseLong(name)).stream())
                    .toList();
        } catch (IOException noProcfs) {
            return List.of();
        }
    }

    /** Whether the process has exited and waits to be reaped. */
    public boolean zombie() {
        return state == 'Z';
    }

    /** The process, if this very one (not a later one with its pid) still runs. */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid)
                .filter(handle -> of(pid).filter(now -> now.startTime == startTime && !now.zombie())
                        .isPresent());
    }

    private static ProcessStat parse(long pid, String stat) {
        // The command name, in parentheses, may hold spaces and parentheses: the fields start after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new ProcessStat(
                pid,
                fields[0].charAt(0),
                Long.parseLong(fields[2]),
                Long.parseLong(fields[3]),
                Long.parseLong(fields[19]));
    }
}
