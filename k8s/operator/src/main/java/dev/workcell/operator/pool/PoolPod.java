package dev.workcell.operator.pool;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Map;

/**
 * What the sizing needs of one agent pod: its name (= its agent's host name), whether it has
 * started or ended, and the operator's marks on it.
 *
 * @param phase the pod's phase; null before the kubelet reported one
 * @param idleSince when the operator first saw its agent idle; null unless idle
 * @param drainStarted when the operator drained its agent to remove the pod; null unless so
 */
public record PoolPod(String name, String phase, Instant idleSince, Instant drainStarted) {

    public static PoolPod of(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations();
        return new PoolPod(
                pod.getMetadata().getName(),
                pod.getStatus() == null ? null : pod.getStatus().getPhase(),
                instant(annotations.get(PoolLabels.IDLE_SINCE)),
                instant(annotations.get(PoolLabels.DRAIN_STARTED)));
    }

    /** The pod's containers ended for good (a pod of restartPolicy Always only ends so when evicted or its node failed). */
    public boolean ended() {
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    /** Not running yet: not scheduled, or pulling its image. */
    public boolean pending() {
        return phase == null || "Pending".equals(phase);
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
