package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.hello;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.GetLogRequest;
import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Live logs: chunks an agent streams are stored once, in order, and can be followed until the attempt ends. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LiveLogTest {

    @GrpcClient("agents")
    AgentService agents;

    @GrpcClient("actions")
    ActionService actions;

    static AgentMessage chunk(String id, LogStream stream, long offset, String text) {
        return AgentMessage.newBuilder()
                .setLog(LogChunk.newBuilder()
                        .setActionId(id)
                        .setAttempt(1)
                        .setStream(stream)
                        .setOffset(offset)
                        .setData(ByteString.copyFromUtf8(text)))
                .build();
    }

    @Test
    void aClientFollowsTheLogWhileTheTaskRunsAndTheStreamEndsWithTheAttempt() throws Exception {
        String target = unique("log-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("log-host"), target);
            String id = submitShell(target, "long task");
            agent.next(ControlMessage::hasTask);
            agent.send(update(id, 1, ActionStatus.RUNNING));
            agent.send(chunk(id, LogStream.STDOUT, 0, "line 1\n"));

            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            CompletableFuture<Void> followed = follow(id, lines);
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("line 1");

            agent.send(chunk(id, LogStream.STDERR, 0, "warning 1\n"));
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("warning 1");
            agent.send(chunk(id, LogStream.STDOUT, 7, "line 2\n"));
            agent.send(chunk(id, LogStream.STDOUT, 7, "line 2\n"));
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("line 2");
            assertThat(followed).isNotDone();

            agent.send(update(id, 1, ActionStatus.SUCCEEDED));
            followed.get(10, TimeUnit.SECONDS);
            assertThat(lines).isEmpty();

            List<LogChunk> stored = actions.logs(
                            GetLogRequest.newBuilder().setId(id).build())
                    .collect()
                    .asList()
                    .await()
                    .atMost(Duration.ofSeconds(10));
            assertThat(stored)
                    .extracting(c -> c.getStream() + "@" + c.getOffset())
                    .containsExactly("STDOUT@0", "STDERR@0", "STDOUT@7");
            assertThat(given().get("/api/v1/actions/" + id + "/log?stream=stdout")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .isEqualTo("line 1\nline 2\n");
        }
    }

    @Test
    void chunksOfAnAttemptTheAgentDoesNotHoldAreDropped() {
        String target = unique("nolog-phone");
        try (FakeAgent holder = new FakeAgent(agents);
                FakeAgent other = new FakeAgent(agents)) {
            holder.send(hello(unique("nolog-host"), target)).next(ControlMessage::hasWelcome);
            other.send(hello(unique("other-host"), unique("other-phone"))).next(ControlMessage::hasWelcome);
            String id = submitShell(target, "quiet task");
            holder.next(ControlMessage::hasTask);

            other.send(chunk(id, LogStream.STDOUT, 0, "forged\n"));
            holder.send(update(id, 1, ActionStatus.SUCCEEDED));
            awaitStatus(id, "SUCCEEDED");

            assertThat(given().get("/api/v1/actions/" + id + "/log")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .isEmpty();
        }
    }

    @Test
    void readingTheLogOfAnUnknownActionOrAFutureAttemptIsRefused() {
        given().get("/api/v1/actions/" + "e".repeat(40) + "/log").then().statusCode(404);
        String target = unique("attempt-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("attempt-host"), target);
            String id = submitShell(target, "x");
            given().get("/api/v1/actions/" + id + "/log?attempt=5").then().statusCode(400);
        }
    }

    private static CompletableFuture<Void> follow(String id, BlockingQueue<String> lines) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + Api.testPort() + "/api/v1/actions/" + id + "/log?follow=true"))
                .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN))
                .build();
        return HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenAcceptAsync(response -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        reader.lines().forEach(lines::add);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }
}
