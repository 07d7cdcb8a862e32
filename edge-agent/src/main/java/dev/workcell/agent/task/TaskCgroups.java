package dev.workcell.agent.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The agent's own cgroup v2, when it has one it may divide (systemd's Delegate=yes, a container with
 * a cgroup namespace of its own): each task gets a child cgroup, which its processes cannot leave
 * and whose cgroup.kill stops them all at once, late forks included. The agent has one when its
 * cgroup offers cgroup.kill (the root of a hierarchy has none: an agent at "0::/", as on a cgroup v1
 * or hybrid host, is not in a cgroup of its own) and it may write there. Otherwise the session and
 * mark of {@link TaskProcesses} are all there is.
 */
final class TaskCgroups {

    private static final Logger LOG = Logger.getLogger(TaskCgroups.class);
    private static final String PREFIX = "workcell-";

    private final Path own;

    private TaskCgroups(Path own) {
        this.own = own;
    }

    /** The agent's own cgroup, if it has one to divide; says which way tasks are kept track of. */
    static Optional<TaskCgroups> detect() {
        Optional<TaskCgroups> cgroups = detect(Path.of("/proc/self/cgroup"), Path.of("/proc/self/mountinfo"));
        LOG.infof(
                "task processes are kept track of by %s",
                cgroups.map(found -> "a cgroup each (in " + found.own + "), their session and the WORKCELL_TASK mark")
                        .orElse("their session and the WORKCELL_TASK mark (the agent has no cgroup v2 of its own)"));
        return cgroups;
    }

    /** As {@link #detect()}, from a /proc/PID/cgroup and a /proc/PID/mountinfo. */
    static Optional<TaskCgroups> detect(Path cgroupFile, Path mountinfo) {
        try {
            Optional<String> path = Files.readAllLines(cgroupFile).stream()
                    .filter(line -> line.startsWith("0::"))
                    .map(line -> line.substring(3))
                    .findFirst();
            if (path.isEmpty()) {
                return Optional.empty();
            }
            return mountPoint(mountinfo, path.get())
                    .filter(dir -> Files.exists(dir.resolve("cgroup.kill")) && Files.isWritable(dir))
                    .map(TaskCgroups::new);
        } catch (IOException | RuntimeException noCgroupV2) {
            return Optional.empty();
        }
    }

    /** The attempt's cgroup. */
    Path of(AttemptKey key) {
        return own.resolve(PREFIX + key.actionId() + "-" + key.attempt());
    }

    /** Moves the process into the cgroup, made first; a failure is logged: the session and mark still find the process. */
    static void enter(Path cgroup, long pid) {
        try {
            Files.createDirectories(cgroup);
            Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(pid));
        } catch (IOException e) {
            LOG.warnf("could not move process %d into the cgroup %s: %s", pid, cgroup, e.getMessage());
        }
    }

    /** The pids in the cgroup now; none once it is removed. */
    static List<Long> pids(Path cgroup) {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .map(Long::valueOf)
                    .toList();
        } catch (IOException | RuntimeException gone) {
            return List.of();
        }
    }

    /** SIGKILLs everything in the cgroup, at once. */
    static void kill(Path cgroup) {
        try {
            Files.writeString(cgroup.resolve("cgroup.kill"), "1");
        } catch (IOException gone) {
            // removed already: nothing left in it
        }
    }

    /** Removes the cgroup once it is empty; one still in use stays (logged). */
    static void remove(Path cgroup) {
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException stillInUse) {
            LOG.warnf("could not remove the cgroup %s: %s", cgroup, stillInUse.getMessage());
        }
    }

    /** Where the cgroup v2 hierarchy is mounted, resolved to the directory of the path in it. */
    private static Optional<Path> mountPoint(Path mountinfo, String inHierarchy) throws IOException {
        for (String line : Files.readAllLines(mountinfo)) {
            String[] sides = line.split(" - ", 2);
            String[] fields = sides[0].split(" ");
            if (sides.length == 2 && sides[1].startsWith("cgroup2 ") && inHierarchy.startsWith(fields[3])) {
                String below = inHierarchy.substring(fields[3].length()).replaceFirst("^/", "");
                return Optional.of(Path.of(fields[4]).resolve(below));
            }
        }
        return Optional.empty();
    }
}
