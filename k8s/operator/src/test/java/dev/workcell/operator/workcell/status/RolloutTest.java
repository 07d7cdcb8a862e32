package dev.workcell.operator.workcell.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a Deployment's status and its pods read as a Workcell's rollout. */
class RolloutTest {

    @Test
    void allPodsOfTheLatestTemplateReadyIsDoneAndThePodsAreNotListed() {
        Rollout rollout = Rollout.of(deployment(3, 3, 3, 3, 3), 3, () -> {
            throw new AssertionError("pods listed for a finished rollout");
        });
        assertThat(rollout.done()).isTrue();
        assertThat(rollout.readyReplicas()).isEqualTo(3);
        assertThat(rollout.problemReason()).isNull();
    }

    @Test
    void aTemplateTheControllerHasNotSeenIsNotDoneEvenWithReadyPods() {
        Rollout rollout = Rollout.of(deployment(4, 3, 3, 3, 3), 3, List::of);
        assertThat(rollout.done()).isFalse();
        assertThat(rollout.progress()).isEqualTo("the Deployment controller has not yet seen the new template");
    }

    @Test
    void aRollingDeploymentSaysHowFarItIs() {
        Rollout rollout = Rollout.of(deployment(2, 2, 4, 1, 3), 3, List::of);
        assertThat(rollout.done()).isFalse();
        assertThat(rollout.progress()).isEqualTo("1 of 3 pods updated, 3 ready, 3 old still running");
        assertThat(rollout.problemReason()).isNull();
    }

    @Test
    void aPastProgressDeadlineIsAStuckRollout() {
        Deployment deployment = deployment(2, 2, 3, 1, 2);
        deployment
                .getStatus()
                .getConditions()
                .add(new DeploymentConditionBuilder()
                        .withType("Progressing")
                        .withStatus("False")
                        .withReason("ProgressDeadlineExceeded")
                        .withMessage("ReplicaSet \"wc-1\" has timed out progressing.")
                        .build());
        Rollout rollout = Rollout.of(deployment, 2, List::of);
        assertThat(rollout.problemReason()).isEqualTo("RolloutStuck");
        assertThat(rollout.problemMessage()).startsWith("ReplicaSet \"wc-1\" has timed out progressing.");
    }

    @Test
    void podsThatCannotPullOrKeepCrashingAreNamed() {
        Rollout pull = Rollout.of(deployment(2, 2, 2, 1, 1), 2, () -> List.of(waiting("wc-a", "ErrImagePull", 0)));
        assertThat(pull.problemReason()).isEqualTo("ImagePullFailure");
        assertThat(pull.problemMessage())
                .startsWith("pod wc-a cannot pull image workcell/control-plane:9.9.9 (ErrImagePull)");
        Rollout crash = Rollout.of(deployment(2, 2, 2, 1, 1), 2, () -> List.of(waiting("wc-b", "CrashLoopBackOff", 7)));
        assertThat(crash.problemReason()).isEqualTo("CrashLoopBackOff");
        assertThat(crash.problemMessage())
                .contains("pod wc-b keeps exiting (restarted 7 times)")
                .contains("kubectl logs wc-b --previous");
    }

    @Test
    void noDeploymentYetIsNotDone() {
        Rollout rollout = Rollout.of(null, 2, List::of);
        assertThat(rollout.done()).isFalse();
        assertThat(rollout.readyReplicas()).isZero();
    }

    private static Deployment deployment(
            long generation, long observedGeneration, int replicas, int updated, int ready) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("wc")
                .withGeneration(generation)
                .endMetadata()
                .withNewStatus()
                .withObservedGeneration(observedGeneration)
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .endStatus()
                .build();
    }

    private static Pod waiting(String name, String reason, int restarts) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("control-plane")
                .withImage("workcell/control-plane:9.9.9")
                .withRestartCount(restarts)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage("details")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }
}
