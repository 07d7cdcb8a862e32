package dev.workcell.controlplane.metrics;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static dev.workcell.controlplane.testing.Management.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.Management;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Task;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * After a known run (actions submitted, one succeeded, one failed, one refused update, two left
 * queued behind a running one), /q/metrics carries Workcell's series with the right labels and
 * values. Counters are read before and after, since other test classes share the application.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class MetricsTest {

    private static final int MANAGEMENT = Management.testPort();

    @GrpcClient("agents")
    AgentService agents;

    @Test
    void aKnownRunShowsInTheCountersTheHistogramsAndTheQueueGauges() {
        String host = unique("metrics-host");
        String target = unique("metrics-phone");
        Map<String, Double> before = Management.samples(MANAGEMENT);
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            String succeeded = submitShell(target, "echo one");
            answer(agent, ActionStatus.SUCCEEDED);
            awaitStatus(succeeded, "SUCCEEDED");
            String failed = submitShell(target, "echo two");
            Task task = answer(agent, ActionStatus.FAILED);
            awaitStatus(failed, "FAILED");
            agent.send(update(task.getActionId(), task.getAttempt() + 5, ActionStatus.SUCCEEDED));
            agent.next(message -> message.hasAck() && !message.getAck().getAccepted());

            submitShell(target, "echo three, left running");
            Task running = agent.next(ControlMessage::hasTask).getTask();
            submitShell(target, "echo four, queued");
            submitShell(target, "echo five, queued");
            String targetId = Api.action(succeeded).getString("target");

            Map<String, Double> after = await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> Management.samples(MANAGEMENT),
                            samples -> value(samples, "workcell_queue_depth", "target=\"" + targetId + "\"") == 2);

            assertThat(delta(before, after, "workcell_actions_submitted_total", "operation=\"EXEC\""))
                    .isGreaterThanOrEqualTo(5);
            assertThat(delta(
                            before,
                            after,
                            "workcell_actions_finished_total",
                            "operation=\"EXEC\"",
                            "status=\"FAILED\"",
                            "failure=\"TASK_FAILED\""))
                    .isEqualTo(1);
            assertThat(delta(
                            before,
                            after,
                            "workcell_actions_finished_total",
                            "operation=\"EXEC\"",
                            "status=\"SUCCEEDED\"",
                            "failure=\"none\""))
                    .isGreaterThanOrEqualTo(1);
            assertThat(delta(before, after, "workcell_agent_updates_refused_total"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "workcell_action_dispatch_latency_seconds_count", "operation=\"EXEC\""))
                    .isGreaterThanOrEqualTo(3);
            assertThat(delta(
                            before,
                            after,
                            "workcell_action_dispatch_latency_seconds_bucket",
                            "operation=\"EXEC\"",
                            "le=\"+Inf\""))
                    .isGreaterThanOrEqualTo(3);
            assertThat(delta(before, after, "workcell_group_commit_batch_rows_sum", "kind=\"insert\""))
                    .isGreaterThanOrEqualTo(5);
            assertThat(delta(before, after, "workcell_group_commit_batch_rows_count", "kind=\"report\""))
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(after, "workcell_queue_oldest_age_seconds", "target=\"" + targetId + "\""))
                    .isGreaterThan(0);
            assertThat(value(after, "workcell_agents")).isGreaterThanOrEqualTo(1);
            assertThat(value(after, "workcell_workers", "state=\"live\"")).isGreaterThanOrEqualTo(1);
            assertThat(value(after, "workcell_devices", "state=\"online\"")).isGreaterThanOrEqualTo(1);
            assertThat(value(after, "workcell_agent_streams")).isGreaterThanOrEqualTo(1);
            assertThat(after.keySet())
                    .as("no action id in any label")
                    .noneMatch(series -> series.startsWith("workcell_") && series.contains(succeeded));

            agent.send(update(running.getActionId(), running.getAttempt(), ActionStatus.SUCCEEDED));
            answer(agent, ActionStatus.SUCCEEDED);
            answer(agent, ActionStatus.SUCCEEDED);
            Map<String, Double> drained = await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> Management.samples(MANAGEMENT),
                            samples -> value(samples, "workcell_queue_depth", "target=\"" + targetId + "\"") == 0);
            for (String gauge : List.of("workcell_queue_depth{", "workcell_queue_oldest_age_seconds{")) {
                assertThat(drained.keySet())
                        .as("an emptied queue keeps its series, at 0")
                        .anyMatch(series -> series.startsWith(gauge) && series.contains("target=\"" + targetId + "\""));
            }
            assertThat(value(drained, "workcell_queue_oldest_age_seconds", "target=\"" + targetId + "\""))
                    .isZero();
        }
    }

    @Test
    void anAgentStreamEndedByAnErrorCountsAsAResetWithItsCode() {
        Map<String, Double> before = Management.samples(MANAGEMENT);
        FakeAgent agent = new FakeAgent(agents);
        agent.send(AgentMessage.getDefaultInstance());

        assertThat(Status.fromThrowable(agent.awaitFailure()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(delta(
                                before,
                                Management.samples(MANAGEMENT),
                                "workcell_agent_stream_resets_total",
                                "code=\"INVALID_ARGUMENT\""))
                        .isEqualTo(1));
    }

    /** Waits for the agent's next task and reports it finished with this status. */
    private static Task answer(FakeAgent agent, ActionStatus status) {
        Task task = agent.next(ControlMessage::hasTask).getTask();
        agent.send(update(task.getActionId(), task.getAttempt(), status));
        return task;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name, String... labels) {
        return value(after, name, labels) - value(before, name, labels);
    }
}
