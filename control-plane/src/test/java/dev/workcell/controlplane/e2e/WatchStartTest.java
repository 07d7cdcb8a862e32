package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.EagerAgents;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.SseLines;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.ListActionsRequest;
import dev.workcell.proto.v1.ListActionsResponse;
import dev.workcell.proto.v1.WatchActionsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where a Watch starts: a watch of one action starts with its current state, and a watch given a
 * List's resume token first replays what changed since that listing, so that a client that lists
 * (or submits) and then watches misses nothing; over gRPC and over Server-Sent Events.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WatchStartTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    /** Actions submitted around a listing; the newest succeeded ones, so one page of this size holds all listed. */
    static final int ACTIONS = 60;

    @GrpcClient("agents")
    AgentService agents;

    @GrpcClient("actions")
    ActionService actions;

    @Test
    void aGrpcWatchOfAnActionThatAlreadyFinishedStartsWithItsCurrentState() throws Exception {
        try (FakeAgent agent = new FakeAgent(agents)) {
            String id = finished(agent, registered(agent, "finished"));

            BlockingQueue<Action> seen = new LinkedBlockingQueue<>();
            var watch = actions.watch(WatchActionsRequest.newBuilder().setId(id).build())
                    .subscribe()
                    .with(seen::add);
            try {
                Action first = seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(first).as("the first message of the watch").isNotNull();
                assertThat(first.getId()).isEqualTo(id);
                assertThat(first.getStatus()).isEqualTo(ActionStatus.SUCCEEDED);
            } finally {
                watch.cancel();
            }
        }
    }

    @Test
    void aGrpcWatchOfAnUnknownActionOrWithAForgedResumeTokenIsRefused() {
        assertThatThrownBy(() -> actions.watch(WatchActionsRequest.newBuilder()
                                .setId("0".repeat(40))
                                .build())
                        .collect()
                        .first()
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        for (String forged : List.of("garbage", "c25hcHNob3Q6NTo0Og", "c25hcHNob3Q6MTo5OjIsMg")) {
            assertThatThrownBy(() -> actions.watch(WatchActionsRequest.newBuilder()
                                    .setResumeToken(forged)
                                    .build())
                            .collect()
                            .first()
                            .await()
                            .atMost(WAIT))
                    .as("token %s", forged)
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("resume_token");
                    });
        }
    }

    @Test
    void aGrpcWatchResumedFromAListSeesEveryActionThatSucceededAfterTheListing() throws Exception {
        List<String> submitted = new CopyOnWriteArrayList<>();
        Set<String> watched = ConcurrentHashMap.newKeySet();
        try (EagerAgents fleet = new EagerAgents(agents, 2)) {
            Thread submitter = new Thread(
                    () -> {
                        for (int i = 0; i < ACTIONS; i++) {
                            submitted.add(submitShell(fleet.targets().get(i % 2), "echo resumed " + i));
                        }
                    },
                    "submitter");
            submitter.start();
            await().atMost(WAIT).until(() -> submitted.size() >= 15);
            ListActionsResponse listed = actions.list(ListActionsRequest.newBuilder()
                            .addStatus(ActionStatus.SUCCEEDED)
                            .setPageSize(ACTIONS)
                            .build())
                    .await()
                    .atMost(WAIT);
            int atListing = submitted.size();
            await().atMost(WAIT).until(() -> submitted.size() >= atListing + 15);
            var watch = actions.watch(WatchActionsRequest.newBuilder()
                            .addStatus(ActionStatus.SUCCEEDED)
                            .setResumeToken(listed.getResumeToken())
                            .build())
                    .subscribe()
                    .with(action -> watched.add(action.getId()));
            try {
                submitter.join(60_000);
                Set<String> listedIds = new HashSet<>();
                listed.getActionsList().forEach(action -> listedIds.add(action.getId()));
                assertThat(submitted)
                        .as("actions that succeeded after the listing")
                        .hasSize(ACTIONS)
                        .anyMatch(id -> !listedIds.contains(id));
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(submitted)
                                .allMatch(
                                        id -> listedIds.contains(id) || watched.contains(id),
                                        "listed or watched as SUCCEEDED"));
            } finally {
                watch.cancel();
            }
            assertThat(fleet.refused()).isEmpty();
        }
    }

    @Test
    void anSseWatchStartsWithTheCurrentStateOfItsActionAndResumesFromARestListing() throws Exception {
        try (FakeAgent agent = new FakeAgent(agents)) {
            String target = registered(agent, "sse-start");
            String before = finished(agent, target);
            try (SseLines one = new SseLines("/api/v1/actions/watch?id=" + before)) {
                assertThat(one.next(WAIT))
                        .as("the first event of a watch of a finished action")
                        .contains(before)
                        .contains("\"status\":\"SUCCEEDED\"");
            }

            String token = given().queryParam("status", "SUCCEEDED")
                    .get("/api/v1/actions")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("resumeToken");
            String after = finished(agent, target);
            try (SseLines resumed = new SseLines("/api/v1/actions/watch?status=SUCCEEDED&resumeToken=" + token)) {
                assertThat(resumed.nextContaining(after, WAIT))
                        .as("the action that succeeded after the listing")
                        .contains("\"status\":\"SUCCEEDED\"");
            }
        }
    }

    @Test
    void aRestWatchWithAForgedResumeTokenIsABadRequest() {
        given().get("/api/v1/actions/watch?resumeToken=garbage").then().statusCode(400);
    }

    /** Registers a host with one target device on the agent's stream; returns the target's name. */
    private static String registered(FakeAgent agent, String name) {
        String target = unique(name + "-phone");
        agent.register(unique(name + "-host"), target);
        return target;
    }

    /** Submits an action to the agent's target, reports it SUCCEEDED, and waits until the ledger says so. */
    private static String finished(FakeAgent agent, String target) {
        String id = submitShell(target, "echo " + unique("finished"));
        agent.next(ControlMessage::hasTask);
        agent.send(update(id, 1, ActionStatus.SUCCEEDED));
        awaitStatus(id, "SUCCEEDED");
        return id;
    }
}
