package dev.workcell.operator.pool;

import dev.workcell.operator.common.Conditions;

/**
 * The three conditions of a pool's status. Ready: as many agents are connected as the pool should
 * have. ScalingLimited: the demand exceeds maxAgents. Degraded: something a person must fix (the
 * Workcell or a Secret missing, the control plane unreachable or refusing the operator).
 */
public final class PoolConditions {

    public static final String READY = "Ready";
    public static final String SCALING_LIMITED = "ScalingLimited";
    public static final String DEGRADED = "Degraded";

    private final WorkcellAgentPoolStatus status;
    private final long generation;

    public PoolConditions(WorkcellAgentPoolStatus status, Long generation) {
        this.status = status;
        this.generation = generation == null ? 0 : generation;
    }

    /** Nothing was changed this time; the pods stay as they are. */
    public void degraded(String reason, String message) {
        set(DEGRADED, Conditions.TRUE, reason, message);
        if (Conditions.find(status.getConditions(), READY).isEmpty()) {
            set(READY, Conditions.FALSE, reason, "see the Degraded condition");
        }
    }

    public void served(int ready, int desired, int demand, int maxAgents, boolean fromScale) {
        set(DEGRADED, Conditions.FALSE, "AsExpected", "");
        if (ready >= desired) {
            set(READY, Conditions.TRUE, "AgentsConnected", ready + " of " + desired + " agents connected");
        } else {
            set(READY, Conditions.FALSE, "AgentsStarting", ready + " of " + desired + " agents connected");
        }
        String what = fromScale ? "spec.replicas (set through /scale) " : "busy + queued ";
        if (demand > maxAgents) {
            set(
                    SCALING_LIMITED,
                    Conditions.TRUE,
                    "MaxAgentsReached",
                    what + demand + " exceeds maxAgents " + maxAgents + ": raise maxAgents to serve the queue sooner");
        } else {
            set(SCALING_LIMITED, Conditions.FALSE, "WithinLimits", what + demand + " is within maxAgents " + maxAgents);
        }
    }

    private void set(String type, String value, String reason, String message) {
        Conditions.set(status.getConditions(), generation, type, value, reason, message);
    }
}
