package dev.workcell.operator.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.operator.pool.PoolSizing.DrainChange;
import dev.workcell.operator.pool.PoolSizing.Plan;
import dev.workcell.operator.pool.PoolSizing.Removal;
import dev.workcell.operator.pool.WorkcellAgentPoolSpec.DrainSpec;
import dev.workcell.operator.pool.WorkcellAgentPoolSpec.WorkcellRef;
import dev.workcell.operator.pool.api.PoolView;
import dev.workcell.operator.pool.api.PoolView.Agent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolSizingTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void busyPlusQueuedWithinTheBoundsCreatesTheMissingPods() {
        Plan plan = plan(spec(1, 3, null), view(1, 2, busy("lab-aaaaa")), running("lab-aaaaa"));
        assertThat(plan.demand()).isEqualTo(3);
        assertThat(plan.desired()).isEqualTo(3);
        assertThat(plan.create()).isEqualTo(2);
        assertThat(plan.drain()).isEmpty();
        assertThat(plan.limited(3)).isFalse();
    }

    @Test
    void demandBeyondMaxAgentsStopsAtMaxAndIsLimited() {
        Plan plan = plan(spec(0, 3, null), view(1, 10, busy("lab-aaaaa")), running("lab-aaaaa"));
        assertThat(plan.desired()).isEqualTo(3);
        assertThat(plan.create()).isEqualTo(2);
        assertThat(plan.limited(3)).isTrue();
    }

    @Test
    void noDemandKeepsMinAgents() {
        assertThat(plan(spec(2, 5, null), view(0, 0)).create()).isEqualTo(2);
    }

    @Test
    void specReplicasSetThroughScaleReplacesTheDemandWithinTheBounds() {
        assertThat(plan(spec(0, 5, 2), view(0, 7)).desired()).isEqualTo(2);
        assertThat(plan(spec(1, 5, 9), view(0, 0)).desired()).isEqualTo(5);
        assertThat(plan(spec(1, 5, 0), view(0, 3)).desired()).isEqualTo(1);
    }

    @Test
    void scaleDownDrainsOnlyAgentsIdleForScaleDownDelayLongestIdleFirst() {
        Plan plan = plan(
                spec(0, 5, null),
                view(1, 0, busy("lab-busy1"), idle("lab-idle1"), idle("lab-idle2"), idle("lab-fresh")),
                running("lab-busy1"),
                idleSince("lab-idle1", NOW.minusSeconds(60)),
                idleSince("lab-idle2", NOW.minusSeconds(600)),
                idleSince("lab-fresh", NOW.minusSeconds(1)));
        assertThat(plan.desired()).isEqualTo(1);
        assertThat(plan.drain()).extracting(DrainChange::pod).containsExactly("lab-idle2", "lab-idle1");
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.idleSince())
                .containsEntry("lab-fresh", NOW.minusSeconds(1))
                .containsEntry("lab-busy1", null);
    }

    @Test
    void anAgentSeenIdleForTheFirstTimeIsMarkedNowAndNotDrainedYet() {
        Plan plan = plan(spec(0, 5, null), view(0, 0, idle("lab-idle1")), running("lab-idle1"));
        assertThat(plan.idleSince()).containsEntry("lab-idle1", NOW);
        assertThat(plan.drain()).isEmpty();
    }

    @Test
    void aDrainedPodIsDeletedOnlyOnceItsAgentIsIdle() {
        Agent stillRunning = new Agent("a-1", "h-1", "lab-drain", true, true, NOW.toString(), 1, 1, false);
        Plan waiting = plan(spec(0, 5, null), view(1, 0, stillRunning), drained("lab-drain", NOW.minusSeconds(3600)));
        assertThat(waiting.delete()).isEmpty();
        assertThat(waiting.drain()).isEmpty();

        Agent done = new Agent("a-1", "h-1", "lab-drain", true, true, NOW.toString(), 1, 0, true);
        Plan removed = plan(spec(0, 5, null), view(0, 0, done), drained("lab-drain", NOW.minusSeconds(5)));
        assertThat(removed.delete()).containsExactly(new Removal("lab-drain", "a-1"));
    }

    @Test
    void withoutWaitingForRunningActionsADrainedPodGoesAfterTheGracePeriod() {
        WorkcellAgentPoolSpec spec = new WorkcellAgentPoolSpec(
                new WorkcellRef("wc"), null, null, null, null, null, 0, 5, null, null, new DrainSpec("30s", false));
        Agent running = new Agent("a-1", "h-1", "lab-drain", true, true, NOW.toString(), 1, 1, false);
        assertThat(plan(spec, view(1, 0, running), drained("lab-drain", NOW.minusSeconds(29)))
                        .delete())
                .isEmpty();
        assertThat(plan(spec, view(1, 0, running), drained("lab-drain", NOW.minusSeconds(30)))
                        .delete())
                .containsExactly(new Removal("lab-drain", "a-1"));
    }

    @Test
    void demandComingBackUndrainsPodsBeingRemovedBeforeCreatingNewOnes() {
        Agent draining = new Agent("a-1", "h-1", "lab-drain", true, true, NOW.toString(), 1, 1, false);
        Plan plan = plan(spec(0, 5, null), view(1, 2, draining), drained("lab-drain", NOW.minusSeconds(5)));
        assertThat(plan.demand())
                .as("the draining agent's running action needs no new agent")
                .isEqualTo(2);
        assertThat(plan.undrain()).containsExactly(new DrainChange("lab-drain", "a-1"));
        assertThat(plan.create()).isEqualTo(1);
    }

    @Test
    void anAgentDrainedByHandMarksItsPodForRemoval() {
        Agent drainedByHand = new Agent("a-1", "h-1", "lab-hand1", true, true, NOW.toString(), 1, 0, true);
        Plan plan = plan(
                spec(1, 5, null),
                view(0, 0, drainedByHand, idle("lab-other")),
                running("lab-hand1"),
                running("lab-other"));
        assertThat(plan.delete()).containsExactly(new Removal("lab-hand1", "a-1"));
    }

    @Test
    void scaleDownDeletesPodsThatNeverStartedAndEndedPodsAreReplaced() {
        Plan plan = plan(
                spec(1, 5, null),
                view(0, 0, idle("lab-idle1")),
                idleSince("lab-idle1", NOW.minusSeconds(600)),
                new PoolPod("lab-pend1", "Pending", null, null));
        assertThat(plan.delete()).containsExactly(new Removal("lab-pend1", null));
        assertThat(plan.drain()).as("the pod that never started goes first").isEmpty();

        Plan replaced = plan(spec(1, 5, null), view(0, 0), new PoolPod("lab-gone1", "Failed", null, null));
        assertThat(replaced.delete()).containsExactly(new Removal("lab-gone1", null));
        assertThat(replaced.create()).isEqualTo(1);
    }

    @Test
    void agentsOfThePoolThatAreNotLiveAndHaveNoPodAreRevoked() {
        Agent lost = new Agent("a-lost", "h", "lab-lost1", false, false, null, 1, 0, true);
        Agent liveElsewhere = new Agent("a-live", "h", "lab-live1", true, false, null, 1, 0, true);
        Agent notOurs = new Agent("a-host", "h", "bench-host", false, false, null, 1, 0, true);
        assertThat(plan(spec(0, 5, null), view(0, 0, lost, liveElsewhere, notOurs))
                        .revokeOrphans())
                .containsExactly("a-lost");
    }

    private static Plan plan(WorkcellAgentPoolSpec spec, PoolView view, PoolPod... pods) {
        return PoolSizing.plan(spec, view, Arrays.asList(pods), NOW);
    }

    private static WorkcellAgentPoolSpec spec(int min, int max, Integer replicas) {
        return new WorkcellAgentPoolSpec(
                new WorkcellRef("wc"), null, null, null, null, null, min, max, replicas, "30s", null);
    }

    private static PoolView view(int busy, int queued, Agent... agents) {
        return new PoolView(
                "lab", agents.length, agents.length, busy, 0, 0, agents.length, busy, queued, 0, List.of(agents));
    }

    private static Agent busy(String pod) {
        return new Agent("a-" + pod, "h-" + pod, pod, true, false, null, 1, 1, false);
    }

    private static Agent idle(String pod) {
        return new Agent("a-" + pod, "h-" + pod, pod, true, false, null, 1, 0, true);
    }

    private static PoolPod running(String name) {
        return new PoolPod(name, "Running", null, null);
    }

    private static PoolPod idleSince(String name, Instant since) {
        return new PoolPod(name, "Running", since, null);
    }

    private static PoolPod drained(String name, Instant at) {
        return new PoolPod(name, "Running", null, at);
    }
}
