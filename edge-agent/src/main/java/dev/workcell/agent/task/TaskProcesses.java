package dev.workcell.agent.task;

import dev.workcell.agent.process.ProcessStat;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the live processes of one attempt by any of three signs: its cgroup, when the agent has
 * cgroups to give ({@link TaskCgroups}), which nothing in it can leave; membership of the session
 * and process group its command leads, which catches a child that cleared its environment; and the
 * attempt's {@link TaskMark}, which catches a child that called setsid, even reparented after its
 * parent or the agent died. Without a cgroup, only a child that does both escapes. The session
 * counts only while its leader is the process recorded, or gone: a pid reused by a later process
 * has a later start time, and a session's id is not reused while a process is in it.
 *
 * @param leader the stat of the attempt's command as it started, empty when it ended before it could be read
 */
record TaskProcesses(TaskMark mark, Optional<ProcessStat> leader, Optional<Path> cgroup) {

    /** The attempt's processes running now, zombies aside; never the agent itself. */
    List<ProcessHandle> find() {
        long agent = ProcessHandle.current().pid();
        boolean groupIsOurs = leader.map(TaskProcesses::leaderUnchanged).orElse(false);
        Set<Long> inCgroup = Set.copyOf(cgroup.map(TaskCgroups::pids).orElse(List.of()));
        return ProcessStat.all().stream()
                .filter(stat -> stat.pid() != agent && !stat.zombie())
                .filter(stat ->
                        inCgroup.contains(stat.pid()) || groupIsOurs && inGroup(stat) || mark.carriedBy(stat.pid()))
                .flatMap(stat -> stat.handle().stream())
                .toList();
    }

    /** SIGKILLs what is in the attempt's cgroup, at once. */
    void killCgroup() {
        cgroup.ifPresent(TaskCgroups::kill);
    }

    /** Removes the attempt's cgroup, once its processes are gone. */
    void removeCgroup() {
        cgroup.ifPresent(TaskCgroups::remove);
    }

    private boolean inGroup(ProcessStat stat) {
        ProcessStat recorded = leader.orElseThrow();
        return (stat.pgid() == recorded.pgid() || stat.session() == recorded.session())
                && stat.startTime() >= recorded.startTime();
    }

    /** Whether the recorded command leads its own session and group, and its pid was not taken by another process since. */
    private static boolean leaderUnchanged(ProcessStat recorded) {
        return recorded.session() == recorded.pid()
                && recorded.pgid() == recorded.pid()
                && ProcessStat.of(recorded.pid())
                        .map(now -> now.startTime() == recorded.startTime())
                        .orElse(true);
    }
}
