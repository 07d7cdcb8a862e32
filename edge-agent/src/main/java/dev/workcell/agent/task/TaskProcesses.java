package dev.workcell.agent.task;

import java.util.List;
import java.util.Optional;

import dev.workcell.agent.process.ProcessStat;

/**
 * Finds the live processes of one attempt by two signs, either enough: membership of the session
 * and process group its command leads (which catches a child that cleared its environment), and
 * the attempt's {@link TaskMark} (which catches a child that called setsid, even reparented after
 * its parent or the agent died). Only a child that does both escapes; cgroups would hold it, but
 * the agent does not rely on owning one. The group counts only while its leader is the process
 * recorded, or gone: a pid reused by a later process has a later start time.
 *
 * @param leader the stat of the attempt's command as it started, empty when it ended before it could be read
 */
record TaskProcesses(TaskMark mark, Optional<ProcessStat> leader) {

    /** The attempt's processes running now, zombies aside; never the agent itself. */
    List<ProcessHandle> find() {
        long agent = ProcessHandle.current().pid();
        boolean groupIsOurs = leader.map(TaskProcesses::leaderUnchanged).orElse(false);
        return ProcessStat.all().stream()
                .filter(stat -> stat.pid() != agent && !stat.zombie())
                .filter(stat -> groupIsOurs && inGroup(stat) || mark.carriedBy(stat.pid()))
                .flatMap(stat -> stat.handle().stream())
                .toList();
    }

    private boolean inGroup(ProcessStat stat) {
        ProcessStat recorded = leader.orElseThrow();
        return (stat.pgid() == recorded.pgid() || stat.session() == recorded.session()) && stat.startTime() >= recorded.startTime();
    }

    /** Whether the recorded command leads its own session and group, and its pid was not taken by another process since. */
    private static boolean leaderUnchanged(ProcessStat recorded) {
        return recorded.session() == recorded.pid() && recorded.pgid() == recorded.pid() && ProcessStat.of(recorded.pid()).map(now -> now.startTime() == recorded.startTime()).orElse(true);
    }
}
