package dev.workcell.controlplane.pool;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Predicate;

/**
 * A pool of agents (the pool of the enrollment token they enrolled with) and the work for it, as a
 * scaler reads it: desired agents = busy + queued, bounded by the pool's minimum and maximum.
 *
 * @param total agents enrolled in the pool and not revoked
 * @param live agents with at least one worker held by an agent stream now
 * @param busy agents running at least one action
 * @param idle live agents that run nothing and are not draining, but for those whose every device is in
 *             quarantine (they must stay for the probation probes): what a scale-down may drain
 * @param draining agents being drained (running or not)
 * @param devices target devices the pool's agents serve or served (their workers, live or not), but
 *                those in quarantine: they are no capacity
 * @param running actions dispatched to or running on the pool's agents
 * @param queued actions waiting for one of the pool's devices
 * @param oldestQueuedSeconds how long the oldest of them has waited; 0 when none waits
 */
public record AgentPool(
        String pool,
        int total,
        int live,
        int busy,
        int idle,
        int draining,
        int devices,
        int running,
        int queued,
        double oldestQueuedSeconds,
        List<Member> agents) {

    /**
     * One agent of the pool. Its host name is the pod name of an agent in Kubernetes (the agent
     * names its host after the machine's hostname unless told otherwise).
     *
     * @param live at least one of its workers is held by an agent stream now
     * @param devices target devices it serves or served, but those in quarantine
     * @param quarantined target devices it serves or served that are in quarantine
     * @param running actions dispatched to or running on it
     * @param idle it runs nothing (a draining agent that is idle can be removed)
     */
    public record Member(
            String id,
            String hostId,
            String hostName,
            boolean live,
            boolean draining,
            OffsetDateTime drainingSince,
            int devices,
            int quarantined,
            int running,
            boolean idle) {}

    /** The pool with the figures that follow from its agents. */
    static AgentPool of(String pool, int devices, int queued, double oldestQueuedSeconds, List<Member> agents) {
        return new AgentPool(
                pool,
                agents.size(),
                count(agents, Member::live),
                count(agents, agent -> agent.running() > 0),
                count(
                        agents,
                        agent -> agent.live()
                                && agent.idle()
                                && !agent.draining()
                                && !(agent.devices() == 0 && agent.quarantined() > 0)),
                count(agents, Member::draining),
                devices,
                agents.stream().mapToInt(Member::running).sum(),
                queued,
                oldestQueuedSeconds,
                agents);
    }

    private static int count(List<Member> agents, Predicate<Member> which) {
        return (int) agents.stream().filter(which).count();
    }
}
