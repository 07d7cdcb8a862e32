package dev.workcell.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.GetActionRequest;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under a running control plane, with submits arriving at 20 a second: while it
 * is down every call, reads and whoami included, answers 503 with Retry-After and the JSON error
 * (gRPC UNAVAILABLE), never 500; the error id it gives is in the log; after it is back, service
 * resumes. The outage lasts {@code -Dworkcell.outage.seconds} (5; the issue measured 20).
 */
class PostgresOutageIT {

    static final int SUBMITS_PER_SECOND = 20;
    static final String UNREACHABLE = "the database is unreachable";

    @Test
    void whilePostgresIsDownEveryCallIsUnavailableAndServiceResumesAfter() throws Exception {
        Path data = Files.createTempDirectory("workcell-pg-outage");
        int pgPort = ControlPlaneProcess.freePort();
        int port = ControlPlaneProcess.freePort();
        int outageSeconds = Integer.getInteger("workcell.outage.seconds", 5);
        String target = "pg-outage-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> database = Map.of(
                "WORKCELL_DB",
                "127.0.0.1:" + pgPort + "/postgres",
                "WORKCELL_DB_USER",
                "postgres",
                "WORKCELL_DB_PASSWORD",
                "postgres");
        EmbeddedPostgres postgres = PostgresRestartIT.start(data, pgPort);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .build();
        try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(port, database);
                AgentProcess agent = AgentProcess.start("pg-outage-host-" + target, target, port)
                        .awaitRegistered()) {
            RestAssured.port = port;
            ActionServiceGrpc.ActionServiceBlockingStub grpc = ActionServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(
                            MetadataUtils.newAttachHeadersInterceptor(TestCredentials.headers(TestCredentials.ADMIN)))
                    .withDeadlineAfter(5, TimeUnit.MINUTES);
            String before = Api.submitShell(target, "echo before");

            postgres.close();
            long outageStart = System.nanoTime();
            Load load = new Load(port, target);
            load.run(Duration.ofSeconds(outageSeconds));
            var get = given().get("/api/v1/actions/" + before).then().extract();
            var whoami = given().get("/api/v1/whoami").then().extract();
            StatusRuntimeException grpcSubmit = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> grpc.withDeadlineAfter(30, TimeUnit.SECONDS).submit(submitRequest(target)));
            StatusRuntimeException grpcGet = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> grpc.withDeadlineAfter(30, TimeUnit.SECONDS)
                            .get(GetActionRequest.newBuilder().setId(before).build()));
            postgres = PostgresRestartIT.start(data, pgPort);
            System.out.printf(
                    "PostgresOutageIT: %d s outage, %d submits/s: answers by status %s%n",
                    outageSeconds, SUBMITS_PER_SECOND, new TreeMap<>(load.counts()));

            assertThat(load.counts().keySet()).as("answers during the outage").isSubsetOf(201, 503);
            assertThat(load.counts()).containsKey(503);
            assertThat(load.unavailableBodies())
                    .allSatisfy(body -> assertThat(body).contains(UNREACHABLE));
            assertThat(load.retryAfter()).allSatisfy(value -> assertThat(value).isEqualTo("5"));
            assertThat(get.statusCode()).isEqualTo(503);
            assertThat(get.jsonPath().getString("error")).contains(UNREACHABLE);
            assertThat(whoami.statusCode()).isEqualTo(503);
            assertThat(whoami.header("Retry-After")).isEqualTo("5");
            assertThat(whoami.jsonPath().getString("error")).contains(UNREACHABLE);
            assertThat(grpcSubmit.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(grpcSubmit.getStatus().getDescription()).contains(UNREACHABLE);
            assertThat(grpcGet.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            String errorId = whoami.jsonPath().getString("error").replaceAll(".*error id (\\w+).*", "$1");
            assertThat(controlPlane.logText()).contains("error id " + errorId + ": " + UNREACHABLE);

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> given().get("/api/v1/whoami").then().extract().statusCode() == 200);
            String after = Api.submitShell(target, "echo after");
            assertThat(grpc.get(GetActionRequest.newBuilder().setId(after).build())
                            .getId())
                    .isEqualTo(after);
            assertThat(Api.awaitStatus(after, Set.of("SUCCEEDED"), Duration.ofSeconds(60))
                            .getString("status"))
                    .isEqualTo("SUCCEEDED");
            // The pool's bug fires when its 30 s wait timer ends after a failed connect (PoolBugLogFilter).
            Api.sleep(Math.max(
                    0, TimeUnit.NANOSECONDS.toMillis(outageStart + TimeUnit.SECONDS.toNanos(35) - System.nanoTime())));
            String log = controlPlane.logText();
            System.out.printf(
                    "PostgresOutageIT: 'Result is already complete' %d times in the log, %d lines in all%n",
                    log.split("Result is already complete", -1).length - 1,
                    log.lines().count());
            assertThat(log.lines().filter(line -> line.contains("Result is already complete")))
                    .as("'Result is already complete' lines in the log")
                    .hasSizeLessThanOrEqualTo(1);
        } finally {
            channel.shutdownNow();
            postgres.close();
        }
    }

    private static SubmitActionRequest submitRequest(String target) {
        return SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC)
                .setTarget(target)
                .setInput(ActionInput.newBuilder()
                        .setExec(ExecInput.newBuilder().addArgv("echo").addArgv("grpc during")))
                .build();
    }

    /** REST submits at a steady rate, open loop; answers counted by status ("timeout" for none in 30 s). */
    static final class Load {

        private final HttpClient http = HttpClient.newHttpClient();
        private final int port;
        private final String target;
        private final Map<Object, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final List<String> unavailableBodies = new CopyOnWriteArrayList<>();
        private final List<String> retryAfter = new CopyOnWriteArrayList<>();

        Load(int port, String target) {
            this.port = port;
            this.target = target;
        }

        void run(Duration duration) throws Exception {
            List<CompletableFuture<Void>> answers = new CopyOnWriteArrayList<>();
            long interval = TimeUnit.SECONDS.toNanos(1) / SUBMITS_PER_SECOND;
            long start = System.nanoTime();
            for (int i = 0; System.nanoTime() - start < duration.toNanos(); i++) {
                long due = start + i * interval;
                TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
                answers.add(submit(i));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        }

        private CompletableFuture<Void> submit(int i) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/actions"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN))
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["echo", "during %d"]}}}""".formatted(target, i)))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
                Object status = response == null ? "timeout" : response.statusCode();
                counts.computeIfAbsent(status, ignored -> new AtomicInteger()).incrementAndGet();
                if (response != null && response.statusCode() == 503) {
                    unavailableBodies.add(response.body());
                    response.headers()
                            .firstValue("Retry-After")
                            .ifPresentOrElse(retryAfter::add, () -> retryAfter.add("none"));
                }
                return null;
            });
        }

        Map<Object, Integer> counts() {
            Map<Object, Integer> snapshot = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            counts.forEach((status, count) -> snapshot.put(status, count.get()));
            return snapshot;
        }

        List<String> unavailableBodies() {
            return unavailableBodies;
        }

        List<String> retryAfter() {
            return retryAfter;
        }
    }
}
