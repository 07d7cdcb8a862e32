package dev.workcell.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.EagerAgents;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.UnreadGrpcWatch;
import dev.workcell.controlplane.testing.UnreadSseStream;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.WatchActionsRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Watchers that stop reading (a gRPC Watch that asks for nothing, an SSE client that never reads
 * its socket) while thousands of changes happen: dispatch keeps its pace, a watcher that reads
 * still gets every change, and the slow ones are cut off instead of being buffered without bound.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SlowWatcherTest {

    static final int TARGETS = 8;
    static final int ACTIONS_ALONE = 300;
    static final int ACTIONS_BESIDE_SLOW_WATCHERS = 1600;
    /** QUEUED, DISPATCHED, RUNNING, SUCCEEDED. */
    static final int CHANGES_PER_ACTION = 4;
    /**
     * Input every change carries, so that the transports (HTTP/2 windows, socket buffers: a few MB)
     * hold a few hundred changes at most and the 6,400 changes beside the slow watchers overflow
     * the control plane's buffer of 4,096 changes per watcher by far.
     */
    static final String PADDING = "x".repeat(32 * 1024);

    @GrpcClient("agents")
    AgentService agentService;

    @GrpcClient("actions")
    ActionService actions;

    @Test
    void watchersThatStopReadingAreCutOffWithoutSlowingDispatchOrStarvingAReadingWatcher() throws Exception {
        Set<String> succeeded = ConcurrentHashMap.newKeySet();
        var reading = actions.watch(WatchActionsRequest.newBuilder()
                        .addStatus(ActionStatus.SUCCEEDED)
                        .build())
                .subscribe()
                .with(action -> succeeded.add(action.getId()));
        try (EagerAgents fleet = new EagerAgents(agentService, TARGETS)) {
            Api.sleep(300);
            double alone = perSecond(ACTIONS_ALONE, run(fleet, ACTIONS_ALONE, succeeded));
            try (UnreadGrpcWatch<WatchActionsRequest, Action> slowGrpc = UnreadGrpcWatch.actions(Api.testPort());
                    UnreadSseStream slowSse = new UnreadSseStream(Api.testPort(), "/api/v1/actions/watch")) {
                Api.sleep(300);
                double beside =
                        perSecond(ACTIONS_BESIDE_SLOW_WATCHERS, run(fleet, ACTIONS_BESIDE_SLOW_WATCHERS, succeeded));
                int changes = ACTIONS_BESIDE_SLOW_WATCHERS * CHANGES_PER_ACTION;

                assertThat(beside)
                        .as("actions per second beside slow watchers, vs %.0f alone", alone)
                        .isGreaterThan(alone / 3);
                Optional<Status> grpcEnd = slowGrpc.drain(Duration.ofSeconds(30));
                assertThat(grpcEnd)
                        .as(
                                "the slow gRPC watcher was cut off (it read %d of %d changes)",
                                slowGrpc.received(), changes)
                        .isPresent();
                assertThat(grpcEnd.get().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(slowGrpc.received())
                        .as("changes the slow gRPC watcher got before it was cut off")
                        .isBetween(1, changes - 1);
                OptionalInt sseEvents = slowSse.drain(Duration.ofSeconds(30));
                assertThat(sseEvents).as("the slow SSE client was cut off").isPresent();
                assertThat(sseEvents.getAsInt())
                        .as("changes the slow SSE client got before it was cut off")
                        .isBetween(1, changes - 1);
            }
            assertThat(fleet.refused()).isEmpty();
        } finally {
            reading.cancel();
        }
    }

    /** Submits actions over the fleet's targets and waits until the reading watcher saw each succeed. */
    private Duration run(EagerAgents fleet, int count, Set<String> succeeded) {
        long start = System.nanoTime();
        String run = Api.unique("burst");
        List<String> ids = Multi.createFrom()
                .range(0, count)
                .onItem()
                .transformToUni(i -> actions.submit(request(fleet.targets().get(i % TARGETS), run + "-" + i)))
                .merge(8)
                .map(response -> response.getAction().getId())
                .collect()
                .asList()
                .await()
                .atMost(Duration.ofMinutes(2));
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(succeeded)
                        .as("the actions the reading watcher saw succeed, of %d", count)
                        .containsAll(ids));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static SubmitActionRequest request(String target, String word) {
        return SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC)
                .setTarget(target)
                .setInput(ActionInput.newBuilder()
                        .setExec(ExecInput.newBuilder()
                                .addArgv("echo")
                                .addArgv(word)
                                .addArgv(PADDING)))
                .build();
    }

    private static double perSecond(int actions, Duration took) {
        return actions * 1000.0 / Math.max(1, took.toMillis());
    }
}
