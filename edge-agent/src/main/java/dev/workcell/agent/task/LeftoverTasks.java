package dev.workcell.agent.task;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Kills what the attempts of an earlier run of the agent left running, found by their
 * {@link TaskRecords}, and removes their work dirs: run at start-up, before the agent says Hello, so
 * no next attempt on a device can start while an old one still runs there. The control plane learns
 * of those attempts by their absence from Hello: it counts them lost and queues them again.
 */
final class LeftoverTasks {

    private static final Logger LOG = Logger.getLogger(LeftoverTasks.class);

    private final TaskRecords records;
    private final WorkDirs workDirs;
    private final Duration killGrace;

    LeftoverTasks(TaskRecords records, WorkDirs workDirs, Duration killGrace) {
        this.records = records;
        this.workDirs = workDirs;
        this.killGrace = killGrace;
    }

    /** Kills them all and returns once they are gone; fails the start-up when the records cannot be read. */
    void reap() throws IOException {
        for (TaskRecord left : records.left()) {
            int killed = ProcessTree.terminate(Optional.empty(), left.processes(), killGrace);
            if (killed > 0) {
                LOG.warnf(
                        "killed %d leftover processes of attempt %s (session %s), left running by an earlier run of the agent",
                        killed,
                        left.key(),
                        left.leader()
                                .map(leader -> Long.toString(leader.session()))
                                .orElse("unknown"));
            } else {
                LOG.infof("attempt %s of an earlier run of the agent left no process running", left.key());
            }
            workDirs.remove(left.workDir());
            records.forget(left);
        }
    }
}
