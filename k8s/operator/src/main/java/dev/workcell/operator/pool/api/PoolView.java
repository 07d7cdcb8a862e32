package dev.workcell.operator.pool.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** {@code GET /api/v1/pools/{pool}} of the control plane (README "Agent pools and draining"). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolView(
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
        List<Agent> agents) {

    /** One enrolled agent; its host name is the name of its pod. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Agent(
            String id,
            String hostId,
            String hostName,
            boolean live,
            boolean draining,
            String drainingSince,
            int devices,
            int running,
            boolean idle) {}

    /** A pool no enrollment token names yet: nothing enrolled, nothing queued. */
    public static PoolView empty(String pool) {
        return new PoolView(pool, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
    }
}
