package dev.workcell.operator.pool;

import dev.workcell.operator.pool.api.PoolView;
import dev.workcell.operator.pool.api.PoolView.Agent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides, from the control plane's view of a pool and the pool's pods, what to do now. It only
 * decides; the reconciler carries it out. The rules:
 * <ul>
 *   <li>desired = min(maxAgents, max(minAgents, busy + queued)), where busy leaves out agents being
 *       drained (they are going, whatever they still run), or spec.replicas (set through
 *       /scale) within the same bounds when it is set;</li>
 *   <li>scale up: first keep pods being removed (undrain their agents), then create pods;</li>
 *   <li>scale down: delete pods that never started (they run nothing), then drain the agents idle
 *       for at least scaleDownDelay, longest idle first; a busy agent is never drained;</li>
 *   <li>a pod whose agent was drained is deleted once its agent reads draining and idle, or after
 *       the drain grace period when the pool does not wait for running actions;</li>
 *   <li>a pod that ended is deleted and replaced; agents of this pool that are not live and have no
 *       pod (a pod deleted by hand, a lost node) are revoked so that they leave the pool's counts.</li>
 * </ul>
 */
public final class PoolSizing {

    /** A pod to delete, and the agent to revoke after it (null when it has none). */
    public record Removal(String pod, String agentId) {}

    /** A pod whose agent is drained or undrained. */
    public record DrainChange(String pod, String agentId) {}

    /**
     * What to do now.
     *
     * @param demand busy + queued, or spec.replicas, before the bounds
     * @param idleSince the idle-since mark each pod should carry (null: none)
     */
    public record Plan(
            int demand,
            int desired,
            int create,
            List<DrainChange> drain,
            List<DrainChange> undrain,
            List<Removal> delete,
            List<String> revokeOrphans,
            Map<String, Instant> idleSince) {

        public boolean limited(int maxAgents) {
            return demand > maxAgents;
        }
    }

    private PoolSizing() {}

    public static Plan plan(WorkcellAgentPoolSpec spec, PoolView view, List<PoolPod> pods, Instant now) {
        int min = spec.minAgentsOrDefault();
        int max = spec.maxAgents();
        int demand = spec.replicas() != null ? spec.replicas() : busyStaying(view) + view.queued();
        int desired = Math.min(max, Math.max(min, demand));
        Duration scaleDownDelay = spec.scaleDownDelayOrDefault();
        Duration grace = spec.drainGracePeriodOrDefault();
        boolean waitForRunning = spec.waitForRunningActions();

        Map<String, Agent> agentOf = view.agents().stream()
                .collect(Collectors.toMap(Agent::hostName, Function.identity(), (a, b) -> a.live() ? a : b));
        List<Removal> delete = new ArrayList<>();
        List<DrainChange> drain = new ArrayList<>();
        List<DrainChange> undrain = new ArrayList<>();
        Map<String, Instant> idleSince = new HashMap<>();
        List<PoolPod> active = new ArrayList<>();
        List<PoolPod> removing = new ArrayList<>();

        for (PoolPod pod : pods) {
            Agent agent = agentOf.get(pod.name());
            if (pod.ended()) {
                delete.add(new Removal(pod.name(), agent == null ? null : agent.id()));
            } else if (pod.drainStarted() != null || (agent != null && agent.draining())) {
                removing.add(pod);
            } else {
                active.add(pod);
                boolean idle = agent != null && agent.live() && agent.idle();
                idleSince.put(pod.name(), idle ? (pod.idleSince() == null ? now : pod.idleSince()) : null);
            }
        }
        List<PoolPod> stillRemoving = new ArrayList<>();
        for (PoolPod pod : removing) {
            Agent agent = agentOf.get(pod.name());
            Instant started = pod.drainStarted() != null ? pod.drainStarted() : now;
            boolean drainedAndIdle = agent == null || (agent.draining() && agent.idle());
            boolean graceOver = !waitForRunning && !now.isBefore(started.plus(grace));
            if (drainedAndIdle || graceOver) {
                delete.add(new Removal(pod.name(), agent == null ? null : agent.id()));
            } else {
                stillRemoving.add(pod);
            }
        }

        int create = 0;
        if (active.size() < desired) {
            int missing = desired - active.size();
            for (PoolPod pod : stillRemoving) {
                if (missing == 0) {
                    break;
                }
                undrain.add(new DrainChange(pod.name(), agentOf.get(pod.name()).id()));
                missing--;
            }
            create = missing;
        } else if (active.size() > desired) {
            int excess = active.size() - desired;
            for (PoolPod pod : active) {
                if (excess > 0 && pod.pending() && !agentOf.containsKey(pod.name())) {
                    delete.add(new Removal(pod.name(), null));
                    excess--;
                }
            }
            List<PoolPod> idleLongEnough = active.stream()
                    .filter(pod -> idleSince.get(pod.name()) != null)
                    .filter(pod -> !now.isBefore(idleSince.get(pod.name()).plus(scaleDownDelay)))
                    .sorted(Comparator.comparing(pod -> idleSince.get(pod.name())))
                    .toList();
            for (PoolPod pod : idleLongEnough) {
                if (excess == 0) {
                    break;
                }
                drain.add(new DrainChange(pod.name(), agentOf.get(pod.name()).id()));
                excess--;
            }
        }

        String prefix = AgentPod.namePrefix(view.pool());
        List<String> podNames = pods.stream().map(PoolPod::name).toList();
        List<String> orphans = view.agents().stream()
                .filter(agent -> !agent.live()
                        && agent.hostName() != null
                        && agent.hostName().startsWith(prefix))
                .filter(agent -> !podNames.contains(agent.hostName()))
                .map(Agent::id)
                .toList();
        return new Plan(demand, desired, create, drain, undrain, delete, orphans, idleSince);
    }

    /** Agents running something that are not being drained. */
    private static int busyStaying(PoolView view) {
        return (int) view.agents().stream()
                .filter(agent -> agent.running() > 0 && !agent.draining())
                .count();
    }
}
