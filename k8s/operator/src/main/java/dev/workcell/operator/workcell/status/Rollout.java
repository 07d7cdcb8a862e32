package dev.workcell.operator.workcell.status;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where the control-plane Deployment's rollout stands, read from its status and, while it is not
 * done, from its pods: done, rolling (how far), or failing in a way a person can act on (the image
 * cannot be pulled, the pods crash, the rollout passed its progress deadline).
 *
 * @param problemReason null when nothing is wrong, else ImagePullFailure, CrashLoopBackOff or RolloutStuck
 */
public record Rollout(boolean done, int readyReplicas, String progress, String problemReason, String problemMessage) {

    private static final Set<String> IMAGE_PULL_FAILURES =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");
    private static final String CRASH_LOOP = "CrashLoopBackOff";

    /**
     * @param pods the Deployment's pods, listed only when the rollout is not done
     */
    public static Rollout of(Deployment deployment, int desiredReplicas, Supplier<List<Pod>> pods) {
        if (deployment == null) {
            return new Rollout(false, 0, "the Deployment is being created", null, null);
        }
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        int ready = orZero(status.getReadyReplicas());
        int updated = orZero(status.getUpdatedReplicas());
        int total = orZero(status.getReplicas());
        boolean observed = status.getObservedGeneration() != null
                && status.getObservedGeneration() >= deployment.getMetadata().getGeneration();
        if (observed && updated == desiredReplicas && total == desiredReplicas && ready == desiredReplicas) {
            return new Rollout(
                    true, ready, desiredReplicas + " of " + desiredReplicas + " pods updated and ready", null, null);
        }
        String progress = observed
                ? updated + " of " + desiredReplicas + " pods updated, " + ready + " ready"
                        + (total > desiredReplicas ? ", " + (total - updated) + " old still running" : "")
                : "the Deployment controller has not yet seen the new template";
        Optional<DeploymentCondition> stuck = status.getConditions().stream()
                .filter(c -> "Progressing".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && "ProgressDeadlineExceeded".equals(c.getReason()))
                .findFirst();
        Optional<Rollout> podProblem = podProblem(pods.get(), ready, progress);
        if (podProblem.isPresent()) {
            return podProblem.get();
        }
        if (stuck.isPresent()) {
            return new Rollout(
                    false,
                    ready,
                    progress,
                    "RolloutStuck",
                    stuck.get().getMessage() + "; see kubectl describe deployment "
                            + deployment.getMetadata().getName() + " and its pods' events");
        }
        return new Rollout(false, ready, progress, null, null);
    }

    private static Optional<Rollout> podProblem(List<Pod> pods, int ready, String progress) {
        for (Pod pod : pods) {
            if (pod.getStatus() == null) {
                continue;
            }
            for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                ContainerStateWaiting waiting = container.getState() == null
                        ? null
                        : container.getState().getWaiting();
                if (waiting == null) {
                    continue;
                }
                String podName = pod.getMetadata().getName();
                if (IMAGE_PULL_FAILURES.contains(waiting.getReason())) {
                    return Optional.of(new Rollout(
                            false,
                            ready,
                            progress,
                            "ImagePullFailure",
                            "pod " + podName
                                    + " cannot pull image " + container.getImage() + " (" + waiting.getReason() + "): "
                                    + waiting.getMessage()
                                    + "; check spec.image or spec.version and podTemplate.imagePullSecrets"));
                }
                if (CRASH_LOOP.equals(waiting.getReason())) {
                    return Optional.of(new Rollout(
                            false,
                            ready,
                            progress,
                            CRASH_LOOP,
                            "pod " + podName
                                    + " keeps exiting (restarted " + container.getRestartCount()
                                    + " times): see kubectl logs "
                                    + podName + " --previous"));
                }
            }
        }
        return Optional.empty();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
