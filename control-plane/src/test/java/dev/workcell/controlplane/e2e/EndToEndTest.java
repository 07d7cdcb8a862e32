package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TcpProxy;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.GetActionRequest;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real agent process on loopback gRPC, a real PostgreSQL, real processes for every task. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class EndToEndTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String PHONE_A = "phone-a-" + RUN;
    static final String PHONE_B = "phone-b-" + RUN;
    static AgentProcess agent;
    static Path scratch;

    @GrpcClient("actions")
    ActionService grpc;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @BeforeAll
    static void startAgent() throws IOException {
        scratch = Files.createTempDirectory("workcell-e2e");
        agent = AgentProcess.start("host-" + RUN, PHONE_A + "," + PHONE_B, Api.testPort())
                .awaitRegistered();
    }

    @AfterAll
    static void stopAgent() {
        agent.close();
    }

    @Test
    void actionSubmittedOverRestSucceedsWithItsOutput() {
        String id = submitShell(PHONE_A, "echo hello from rest");

        JsonPath done = awaitStatus(id, "SUCCEEDED");

        assertThat(done.getString("output.stdoutTail")).contains("hello from rest");
        assertThat(done.getInt("output.exitCode")).isZero();
        assertThat(done.getInt("attempt")).isEqualTo(1);
        assertThat(events(id))
                .extracting(event -> event.get("to"))
                .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
    }

    @Test
    void actionSubmittedOverGrpcSucceedsWithItsOutput() {
        SubmitActionRequest request = SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC)
                .setTarget(PHONE_B)
                .setInput(ActionInput.newBuilder()
                        .setExec(ExecInput.newBuilder().addArgv("echo").addArgv("hello from grpc")))
                .build();

        String id = grpc.submit(request)
                .await()
                .atMost(Duration.ofSeconds(10))
                .getAction()
                .getId();
        JsonPath done = awaitStatus(id, "SUCCEEDED");

        assertThat(done.getString("output.stdoutTail")).contains("hello from grpc");
        var viaGrpc = grpc.get(GetActionRequest.newBuilder().setId(id).build())
                .await()
                .atMost(Duration.ofSeconds(10));
        assertThat(viaGrpc.getStatus()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(viaGrpc.getOutput().getStdoutTail()).contains("hello from grpc");
    }

    @Test
    void textFileBusyTwiceThenSuccessEndsSucceededAtAttemptThree() {
        Path counter = scratch.resolve("busy-" + UUID.randomUUID());
        String id = submitShell(
                PHONE_A,
                "n=$(( $(cat " + counter + " 2>/dev/null || echo 0) + 1 )); echo $n > " + counter
                        + "; if [ $n -le 2 ]; then echo 'cannot exec: text file busy' >&2; exit 1; fi; echo finally");

        JsonPath done = awaitStatus(id, "SUCCEEDED");

        assertThat(done.getInt("attempt")).isEqualTo(3);
        assertThat(done.getString("output.stdoutTail")).contains("finally");
        List<Map<String, Object>> history = events(id);
        assertThat(history)
                .filteredOn(event -> "RUNNING".equals(event.get("to")))
                .extracting(event -> event.get("attempt"))
                .containsExactly(1, 2, 3);
        assertThat(history)
                .filteredOn(event -> "QUEUED".equals(event.get("to")) && "RUNNING".equals(event.get("from")))
                .extracting(event -> (String) event.get("reason"))
                .hasSize(2)
                .allSatisfy(reason -> assertThat(reason).contains("text file busy"));
    }

    @Test
    void retryableFailureOnEveryAttemptFailsWithRetriedMaximumAttempts() {
        String id = submitShell(PHONE_B, "echo 'text file busy' >&2; exit 1 # " + UUID.randomUUID());

        JsonPath done = awaitStatus(id, "FAILED");

        assertThat(done.getInt("attempt")).isEqualTo(4);
        assertThat(done.getString("error"))
                .startsWith("Retried maximum attempts, 4")
                .contains("text file busy");
    }

    @Test
    void nonRetryableFailureFailsAtOnce() {
        String id = submitShell(PHONE_A, "echo broken >&2; exit 3 # " + UUID.randomUUID());

        JsonPath done = awaitStatus(id, "FAILED");

        assertThat(done.getInt("attempt")).isEqualTo(1);
        assertThat(done.getString("failure")).isEqualTo("TASK_FAILED");
        assertThat(done.getInt("output.exitCode")).isEqualTo(3);
        assertThat(done.getString("output.stderrTail")).contains("broken");
    }

    @Test
    void tasksOfOneTargetNeverOverlapWhileTwoTargetsRunInParallel() {
        String a1 = submitShell(PHONE_A, "sleep 1; echo a1 " + UUID.randomUUID());
        String a2 = submitShell(PHONE_A, "sleep 1; echo a2 " + UUID.randomUUID());
        String b1 = submitShell(PHONE_B, "sleep 1; echo b1 " + UUID.randomUUID());

        JsonPath first = awaitStatus(a1, "SUCCEEDED");
        JsonPath second = awaitStatus(a2, "SUCCEEDED");
        JsonPath other = awaitStatus(b1, "SUCCEEDED");

        assertThat(millis(second, "startedAt"))
                .as("a2 starts after a1 finished")
                .isGreaterThanOrEqualTo(millis(first, "finishedAt"));
        assertThat(millis(other, "startedAt")).as("b1 runs while a1 runs").isLessThan(millis(first, "finishedAt"));
        assertThat(millis(first, "startedAt")).as("a1 runs while b1 runs").isLessThan(millis(other, "finishedAt"));
    }

    @Test
    void agentWhoseStreamBreaksMidTaskReconnectsAndTheTaskRunsOnce() throws IOException {
        String target = "flaky-net-" + RUN;
        Path runs = scratch.resolve("runs-" + UUID.randomUUID());
        try (TcpProxy proxy = new TcpProxy(port);
                AgentProcess flaky = AgentProcess.start("flaky-host-" + RUN, target, proxy.port())
                        .awaitRegistered()) {
            String id = submitShell(target, "echo run >> " + runs + "; sleep 2; echo done");
            awaitStatus(id, "RUNNING");

            proxy.cutAll();
            flaky.awaitRegistered(2, Duration.ofSeconds(20));
            JsonPath done = awaitStatus(id, "SUCCEEDED");

            assertThat(done.getInt("attempt")).isEqualTo(1);
            assertThat(Files.readAllLines(runs)).containsExactly("run");
            assertThat(events(id))
                    .extracting(event -> event.get("to"))
                    .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
            LedgerAudit.ofRunningApp().assertConsistent(List.of(id));
        }
    }

    @Test
    void agentKilledMidTaskAndRestartedRunsTheActionAgainAsTheNextAttemptAndThenItsQueue() {
        String host = "killed-host-" + RUN;
        String target = "killed-phone-" + RUN;
        AgentProcess doomed = AgentProcess.start(host, target, port).awaitRegistered();
        String id = submitShell(target, "sleep 3; echo survived " + UUID.randomUUID());
        List<String> queued = List.of(
                submitShell(target, "echo q1 " + RUN),
                submitShell(target, "echo q2 " + RUN),
                submitShell(target, "echo q3 " + RUN));
        awaitStatus(id, "RUNNING");

        doomed.kill();
        try (AgentProcess restarted = AgentProcess.start(host, target, port).awaitRegistered()) {
            JsonPath done = awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(30));
            queued.forEach(next -> awaitStatus(next, "SUCCEEDED"));

            assertThat(done.getInt("attempt")).isEqualTo(2);
            assertThat(events(id))
                    .anySatisfy(event ->
                            assertThat((String) event.get("reason")).contains("reconnected without attempt 1"));
            List<String> acknowledged = new ArrayList<>(queued);
            acknowledged.add(id);
            LedgerAudit.ofRunningApp().assertConsistent(acknowledged);
        }
    }

    @Test
    void cancellingARunningActionStopsItOnTheAgent() {
        String id = submitShell(PHONE_B, "sleep 30; echo never " + UUID.randomUUID());
        awaitStatus(id, "RUNNING");

        io.restassured.RestAssured.given()
                .when()
                .post("/api/v1/actions/" + id + "/cancel")
                .then()
                .statusCode(200);
        JsonPath done = awaitStatus(id, Set.of("CANCELLED"), Duration.ofSeconds(15));

        assertThat(millis(done, "finishedAt") - millis(done, "startedAt")).isLessThan(20_000);
    }

    @Test
    void equivalentSubmitWhileInFlightReturnsTheSameAction() {
        String script = "sleep 1; echo once " + UUID.randomUUID();
        String first = submitShell(PHONE_A, script);

        String second = io.restassured.RestAssured.given()
                .contentType("application/json")
                .body("""
                        {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["sh", "-c", %s]}}}""".formatted(PHONE_A, Api.quote(script)))
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(200)
                .extract()
                .path("action.id");

        assertThat(second).isEqualTo(first);
        awaitStatus(first, "SUCCEEDED");
    }

    private static long millis(JsonPath action, String field) {
        try {
            return Timestamps.toMillis(Timestamps.parse(action.getString(field)));
        } catch (java.text.ParseException e) {
            throw new AssertionError(field + " is not a timestamp: " + action.getString(field), e);
        }
    }
}
