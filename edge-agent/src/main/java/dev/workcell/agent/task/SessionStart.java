package dev.workcell.agent.task;

import dev.workcell.agent.process.ProcessStat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Starts a command as the leader of a new session and process group, through setsid(1) (Java cannot
 * call setsid between fork and exec), and returns once the command itself runs: a command that
 * cannot be executed fails the start as it would without setsid in front, so the caller can retry
 * a busy executable. The JVM's children never lead a process group, so setsid does not fork and
 * the command keeps the pid of the process started.
 */
final class SessionStart {

    private static final String SETSID = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid" : "setsid";
    /** How setsid says it could not execute the command (util-linux: exit 126, or 127 when not found). */
    private static final String SETSID_FAILED = "setsid: failed to execute ";

    private static final long POLL_MILLIS = 1;

    /** The started command: its process, the stat of it as session leader (empty if it ended at once), and its stderr. */
    record Started(Process process, Optional<ProcessStat> leader, InputStream stderr) {}

    private SessionStart() {}

    /**
     * Starts the command.
     *
     * @param spawned told the pid as soon as the process exists, before the command runs (or very nearly)
     */
    static Started start(ProcessBuilder builder, LongConsumer spawned) throws IOException {
        List<String> argv = List.copyOf(builder.command());
        List<String> wrapped = new ArrayList<>(argv);
        wrapped.add(0, SETSID);
        Process process = builder.command(wrapped).start();
        builder.command(argv);
        spawned.accept(process.pid());
        try {
            byte[] setsidCmdline = cmdline(wrapped);
            while (process.isAlive()) {
                Optional<ProcessStat> stat = ProcessStat.of(process.pid());
                if (stat.isPresent() && !stat.get().zombie() && executed(process.pid(), setsidCmdline)) {
                    return new Started(
                            process, stat.filter(leader -> leader.session() == leader.pid()), process.getErrorStream());
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + argv.get(0), e);
        }
        return endedAtOnce(process, argv.get(0));
    }

    /** Whether the process runs the command now, no longer setsid; a process gone meanwhile counts as not yet. */
    private static boolean executed(long pid, byte[] setsidCmdline) {
        try {
            byte[] now = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return now.length > 0 && !Arrays.equals(now, setsidCmdline);
        } catch (IOException gone) {
            return false;
        }
    }

    /** A process that ended before it was seen running the command: setsid failed to execute it, or the command was that quick. */
    private static Started endedAtOnce(Process process, String program) throws IOException {
        InputStream stderr = process.getErrorStream();
        // Only what is there: a child the command left may hold the pipe open.
        byte[] said = stderr.readNBytes(stderr.available());
        String text = new String(said, StandardCharsets.UTF_8);
        String failed = SETSID_FAILED + program + ": ";
        if ((process.exitValue() == 126 || process.exitValue() == 127) && text.startsWith(failed)) {
            String why = text.substring(failed.length()).strip();
            throw new IOException("Cannot run program \"" + program + "\": " + why);
        }
        return new Started(process, Optional.empty(), new SequenceInputStream(new ByteArrayInputStream(said), stderr));
    }

    private static byte[] cmdline(List<String> argv) {
        return (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8);
    }
}
