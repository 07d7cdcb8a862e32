package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.deviceId;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.workersOfHost;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.Management;
import dev.workcell.controlplane.testing.ProcessDatabase;
import dev.workcell.controlplane.testing.ServiceEndpoints;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentServiceGrpc;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.WatchActionsRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two control-plane replicas on one PostgreSQL behind a stand-in for a Kubernetes Service that
 * follows their readiness; two agents, connected to replica A, with actions running and queued.
 * A gets SIGTERM: it turns not-ready while still up and refuses submits and new agent streams,
 * hands its agents to B (their running tasks go on) and ends a client's watch, exits within its shutdown
 * delay plus timeout, and every action completes exactly once.
 */
class GracefulShutdownIT {

    /**
     * How long A stays up not-ready before handing its agents over (quarkus.shutdown.delay): long
     * enough for the checks made meanwhile on a loaded machine; -Dworkcell.drain.delay-seconds=5 for
     * the default.
     */
    static final Duration DELAY = Duration.ofSeconds(Integer.getInteger("workcell.drain.delay-seconds", 15));
    /** The most Quarkus waits afterwards for requests in flight (quarkus.shutdown.timeout, the default). */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    static final int QUEUED_PER_PHONE = 6;
    static final String LIFECYCLE = "checks.find { it.name == 'replica-lifecycle' }";
    static final String HANDING_OVER = "handing over";
    static final String DRAINING = "is shutting down (draining)";
    /** What a control plane logs when an agent registered with it. */
    static final String REGISTERED_HERE = "registered session";

    @RegisterExtension
    static final ProcessDatabase DATABASE = new ProcessDatabase();

    @Test
    void aReplicaGivenSigtermGoesNotReadyFirstHandsItsAgentsToTheOtherAndLosesNoAction() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Agent one serves phones a and b, agent two phones c and d.
        List<String> phones = List.of("drain-a-" + run, "drain-b-" + run, "drain-c-" + run, "drain-d-" + run);
        Path runs = Files.createTempFile("drain-runs", ".txt");
        Path gate = Files.createTempDirectory("drain-gate").resolve("open");
        List<String> acknowledged = new ArrayList<>();
        List<String> expectedRuns = new ArrayList<>();
        try (ControlPlaneProcess a = ControlPlaneProcess.start(
                        ControlPlaneProcess.freePort(),
                        DATABASE.environment(),
                        Map.of("WORKCELL_PLAINTEXT", "enabled", "QUARKUS_SHUTDOWN_DELAY", DELAY.toSeconds() + "s"));
                ControlPlaneProcess b =
                        ControlPlaneProcess.start(ControlPlaneProcess.freePort(), DATABASE.environment());
                ServiceEndpoints service = new ServiceEndpoints(List.of(a, b));
                AgentProcess one =
                        AgentProcess.start("drain-host-1-" + run, phones.get(0) + "," + phones.get(1), service.port());
                AgentProcess two = AgentProcess.start(
                        "drain-host-2-" + run, phones.get(2) + "," + phones.get(3), service.port())) {
            one.awaitRegistered();
            two.awaitRegistered();
            assertThat(a.count(REGISTERED_HERE)).as("agents registered on A").isEqualTo(2);
            assertThat(b.count(REGISTERED_HERE)).as("agents registered on B").isZero();

            // Through the Service (that is, A): on phones a and c a task that runs until the test opens
            // the gate, with a queue behind it; on phones b and d a queue of short tasks that runs through the drain.
            RestAssured.port = service.port();
            List<String> gated = new ArrayList<>();
            for (int phone : List.of(0, 2)) {
                gated.add(submitShell(
                        phones.get(phone),
                        "echo gated-" + phone + " >> " + runs + "; while [ ! -e " + gate + " ]; do sleep 0.1; done"));
                expectedRuns.add("gated-" + phone);
            }
            for (int i = 0; i < QUEUED_PER_PHONE; i++) {
                for (int phone = 0; phone < phones.size(); phone++) {
                    acknowledged.add(submitShell(
                            phones.get(phone), "echo queued-" + phone + "-" + i + " >> " + runs + "; sleep 0.2"));
                    expectedRuns.add("queued-" + phone + "-" + i);
                }
            }
            acknowledged.addAll(gated);
            RestAssured.port = b.port();
            for (String id : gated) {
                awaitStatus(id, "RUNNING");
            }
            assertThat(Management.grpcHealth(a.port(), "")).isEqualTo(ServingStatus.SERVING);
            // A client watching through A, and an agent that will try to connect to A while it drains.
            ManagedChannel watchChannel = channel(a.port());
            CompletableFuture<Status> watchEnded = watch(watchChannel);
            Device latecomer =
                    Device.newBuilder().setName("drain-latecomer-" + run).build();
            String latecomerCredential = TestCredentials.agentCredential(b.port(), latecomer);

            long sigterm = System.nanoTime();
            CompletableFuture<Long> exitedAt = a.exited().thenApply(code -> System.nanoTime());
            a.terminate();
            Response notReady = await().atMost(DELAY)
                    .pollInterval(Duration.ofMillis(10))
                    .until(
                            () -> Management.on(a.managementPort()).get("/q/health/ready"),
                            response -> response.statusCode() == 503);
            long toNotReady = System.nanoTime() - sigterm;
            assertThat(a.isAlive()).as("A is still up while not ready").isTrue();
            assertThat(notReady.jsonPath().getString(LIFECYCLE + ".status")).isEqualTo("DOWN");
            assertThat(notReady.jsonPath().getString(LIFECYCLE + ".data.state")).isEqualTo("draining");

            // While A drains, before it hands its agents over: its submits and new agent streams are
            // refused with 503 or UNAVAILABLE saying so, its gRPC health says NOT_SERVING, and B
            // takes submits for A's agents.
            given().port(a.port())
                    .contentType(ContentType.JSON)
                    .body("{\"operation\": \"EXEC\", \"target\": \"" + phones.get(1)
                            + "\", \"input\": {\"exec\": {\"argv\": [\"true\"]}}}")
                    .post("/api/v1/actions")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "1")
                    .body("error", containsString(DRAINING));
            assertThat(grpcSubmitRefusal(a.port(), phones.get(1)).getStatus())
                    .satisfies(status -> assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE))
                    .satisfies(status -> assertThat(status.getDescription()).contains(DRAINING));
            assertThat(connectRefusal(a.port(), latecomerCredential, latecomer))
                    .satisfies(status -> assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE))
                    .satisfies(status -> assertThat(status.getDescription()).contains(DRAINING));
            assertThat(Management.grpcHealth(a.port(), "")).isEqualTo(ServingStatus.NOT_SERVING);
            String duringDrain = submitShell(phones.get(1), "echo during-drain >> " + runs);
            acknowledged.add(duringDrain);
            expectedRuns.add("during-drain");
            assertThat(a.logText()).as("A handed nothing over yet").doesNotContain(HANDING_OVER);

            long toAgentsOnB = awaitBothRegisteredTwice(one, two) - sigterm;
            long toExit = exitedAt.get(DELAY.plus(TIMEOUT).toSeconds() + 10, TimeUnit.SECONDS) - sigterm;
            int exitCode = a.exited().get();
            assertThat(Duration.ofNanos(toExit))
                    .as("A exits within its delay and timeout")
                    .isLessThan(DELAY.plus(TIMEOUT));
            assertThat(a.logText())
                    .contains(HANDING_OVER + " 2 agent streams", "left;")
                    .doesNotContain("Timed out waiting for graceful shutdown");
            assertThat(b.count(REGISTERED_HERE)).as("agents registered on B").isEqualTo(2);
            assertThat(one.logText() + two.logText())
                    .as("the agents were told why their streams ended")
                    .contains(DRAINING);
            assertThat(watchEnded.get(5, TimeUnit.SECONDS))
                    .as("how A ended the watch")
                    .satisfies(status -> assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE))
                    .satisfies(status -> assertThat(status.getDescription()).contains(DRAINING));
            watchChannel.shutdownNow();
            for (String host : List.of("drain-host-1-" + run, "drain-host-2-" + run)) {
                assertThat(workersOfHost(deviceId(host)))
                        .as("workers of %s, held by B", host)
                        .hasSize(2)
                        .allMatch(worker -> worker.get("live").equals(true));
            }

            Files.createFile(gate);
            for (String id : acknowledged) {
                awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(60));
            }
            for (String id : gated) {
                assertThat(events(id))
                        .as("gated task %s ran on through the hand-over", id)
                        .extracting(event -> event.get("to"))
                        .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
            }
            assertThat(Files.readAllLines(runs))
                    .as("each task ran once")
                    .containsExactlyInAnyOrderElementsOf(expectedRuns);
            LedgerAudit.of(DATABASE.environment()).assertConsistent(acknowledged);
            for (AgentProcess agent : List.of(one, two)) {
                // Only processes of this test's tasks: an agent also runs short discovery tools (lspci, adb) now and
                // then.
                assertThat(ProcessHandle.of(agent.pid())
                                .orElseThrow()
                                .descendants()
                                .filter(process ->
                                        process.info().commandLine().orElse("").contains(runs.toString()))
                                .toList())
                        .as("task processes left behind by an agent")
                        .isEmpty();
            }
            System.out.printf(
                    "GracefulShutdownIT, shutdown delay %d s: SIGTERM to not ready %d ms; to both agents registered on B"
                            + " %d ms (%d ms after the hand-over); to exit (code %d) %d ms (%d ms after the hand-over)%n",
                    DELAY.toSeconds(),
                    toNotReady / 1_000_000,
                    toAgentsOnB / 1_000_000,
                    toAgentsOnB / 1_000_000 - DELAY.toMillis(),
                    exitCode,
                    toExit / 1_000_000,
                    toExit / 1_000_000 - DELAY.toMillis());
        }
    }

    private static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .build();
    }

    private static ClientInterceptor as(String secret) {
        return MetadataUtils.newAttachHeadersInterceptor(TestCredentials.headers(secret));
    }

    /** Takes every message and completes {@code ended} with the status the stream ended with. */
    private static <T> StreamObserver<T> endingIn(CompletableFuture<Status> ended) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T message) {}

            @Override
            public void onError(Throwable failure) {
                ended.complete(Status.fromThrowable(failure));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        };
    }

    /** A client's Watch of every action; completes with the status the stream ended with. */
    private static CompletableFuture<Status> watch(ManagedChannel channel) {
        CompletableFuture<Status> ended = new CompletableFuture<>();
        ActionServiceGrpc.newStub(channel)
                .withInterceptors(as(TestCredentials.ADMIN))
                .watch(WatchActionsRequest.getDefaultInstance(), endingIn(ended));
        return ended;
    }

    private static StatusRuntimeException grpcSubmitRefusal(int port, String target) {
        ManagedChannel channel = channel(port);
        try {
            ActionServiceGrpc.ActionServiceBlockingStub actions = ActionServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(as(TestCredentials.ADMIN))
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
            return catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> actions.submit(SubmitActionRequest.newBuilder()
                            .setOperation(Operation.EXEC)
                            .setTarget(target)
                            .setInput(ActionInput.newBuilder()
                                    .setExec(ExecInput.newBuilder().addArgv("true")))
                            .build()));
        } finally {
            channel.shutdownNow();
        }
    }

    /** How the control plane on this port ends a new agent stream that says hello. */
    private static Status connectRefusal(int port, String credential, Device host) throws Exception {
        ManagedChannel channel = channel(port);
        try {
            CompletableFuture<Status> ended = new CompletableFuture<>();
            StreamObserver<AgentMessage> toControlPlane = AgentServiceGrpc.newStub(channel)
                    .withInterceptors(as(credential))
                    .connect(GracefulShutdownIT.<ControlMessage>endingIn(ended));
            toControlPlane.onNext(AgentMessage.newBuilder()
                    .setHello(Hello.newBuilder().setHost(host))
                    .build());
            return ended.get(10, TimeUnit.SECONDS);
        } finally {
            channel.shutdownNow();
        }
    }

    /** The nanoTime at which both agents had registered a second time. */
    private static long awaitBothRegisteredTwice(AgentProcess one, AgentProcess two) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> one.count(AgentProcess.REGISTERED) >= 2 && two.count(AgentProcess.REGISTERED) >= 2);
        return System.nanoTime();
    }
}
