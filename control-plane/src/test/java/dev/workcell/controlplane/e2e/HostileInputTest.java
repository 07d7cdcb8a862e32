package dev.workcell.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.action.ActionLookup;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.AgentServiceGrpc;
import dev.workcell.proto.v1.ArtifactServiceGrpc;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.WatchActionsRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed requests, REST bodies and raw protobuf messages: random bytes, wrong JSON
 * types, huge strings, deep nesting, invalid UTF-8, random field values. None may get a 5xx or an
 * INTERNAL/UNKNOWN status, no gRPC call that sends one request may hang (a Watch stays open only
 * for a request the server's checks accept), every row the fuzzer's credentials caused
 * (actions, tokens, enrollment tokens, audit) must match a request that was answered as a success,
 * and the control plane must stay healthy. The inputs come from a fixed seed: replay a failure with
 * {@code -Dreplay.seed=<the seed its message names>}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HostileInputTest {

    private static final int REST_CASES = 1500;
    private static final int GRPC_CASES_PER_METHOD = 120;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final List<String> WRITE_PATHS = List.of(
            "/api/v1/actions",
            "/api/v1/tokens",
            "/api/v1/enrollment-tokens",
            "/api/v1/actions/" + "a".repeat(40) + "/cancel");
    private static final List<Status.Code> SERVER_FAULTS =
            List.of(Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.DATA_LOSS);
    static final long SEED = Long.getLong("replay.seed", 20261201L);
    /** How long a fuzzed gRPC call may take to be answered; one still open then is a hang, unless it is an accepted Watch. */
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    ActionLookup lookup;

    /** An admin token of each test's own, so that what it wrote is told from what other tests do. */
    private static String fuzzer;

    private static String fuzzerId;

    @org.junit.jupiter.api.BeforeEach
    void fuzzerTokenAndSeed() {
        var created = given().contentType("application/json")
                .body("{\"name\": \"fuzzer\", \"role\": \"admin\"}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        fuzzer = created.getString("secret");
        fuzzerId = created.getString("token.id");
        JqwikSession.start(Long.toString(SEED));
    }

    @org.junit.jupiter.api.AfterEach
    void endSeededSession() {
        JqwikSession.finish();
    }

    /** Rows the fuzzer's token caused, by kind: actions, action events, tokens, enrollment tokens, and audit rows by kind. */
    private Map<String, Long> writtenByFuzzer() {
        return pool.preparedQuery("""
                        SELECT 'actions' AS kind, count(*) AS n FROM actions WHERE submitted_by = $1
                        UNION ALL SELECT 'action events', count(*) FROM action_events WHERE actor = $1
                        UNION ALL SELECT 'tokens', count(*) FROM api_tokens WHERE created_by = $1
                        UNION ALL SELECT 'enrollment tokens', count(*) FROM enrollment_tokens WHERE created_by = $1
                        UNION ALL SELECT 'audit ' || kind, count(*) FROM audit_events WHERE actor LIKE 'token ' || $1 || ' %' GROUP BY kind""")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(fuzzerId))
                .map(rows -> {
                    Map<String, Long> written = new TreeMap<>();
                    rows.forEach(row -> {
                        if (row.getLong("n") > 0) {
                            written.put(row.getString("kind"), row.getLong("n"));
                        }
                    });
                    return written;
                })
                .await()
                .atMost(Duration.ofSeconds(30));
    }

    @Test
    void malformedRestBodiesNeverGetA5xxAndWriteOnlyWhatWasAnsweredAsCreated() {
        List<String> faults = new ArrayList<>();
        Map<String, Long> created = new TreeMap<>();
        Random random = new Random(SEED);
        bodies().sampleStream().limit(REST_CASES).forEach(body -> {
            String path = WRITE_PATHS.get(random.nextInt(WRITE_PATHS.size()));
            int status = post(path, body);
            if (status >= 500) {
                faults.add(status + " for POST " + path + " " + preview(body));
            } else if (status < 300) {
                created.merge(path, 1L, Long::sum);
            }
        });
        assertThat(faults).as("server errors; seed %d", SEED).isEmpty();
        long actions = created.getOrDefault("/api/v1/actions", 0L);
        long tokens = created.getOrDefault("/api/v1/tokens", 0L);
        long enrollmentTokens = created.getOrDefault("/api/v1/enrollment-tokens", 0L);
        Map<String, Long> expected = new TreeMap<>(Map.of(
                "actions",
                actions,
                "action events",
                actions,
                "tokens",
                tokens,
                "audit token.created",
                tokens,
                "enrollment tokens",
                enrollmentTokens,
                "audit enrollment-token.created",
                enrollmentTokens));
        expected.values().removeIf(n -> n == 0);
        assertThat(writtenByFuzzer())
                .as("rows the fuzzer's token caused, vs %s answered as created; seed %d", created, SEED)
                .isEqualTo(expected);
        given().get("/api/v1/workers").then().statusCode(200);
    }

    @Test
    void randomBytesAndRandomFieldsOnEveryGrpcMethodCauseNoServerFaultNoWriteAndNoHangOfASingleRequestCall()
            throws Exception {
        String host = "fuzzed-" + TestCredentials.RUN;
        String agent = TestCredentials.agentCredential(
                Api.testPort(), Device.newBuilder().setName(host).build());
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", Api.testPort())
                .usePlaintext()
                .build();
        List<String> faults = new ArrayList<>();
        int openWatches = 0;
        Map<String, Integer> openClientStreams = new TreeMap<>();
        try {
            for (MethodDescriptor<?, ?> method : methods()) {
                String secret = method.getServiceName().equals("workcell.v1.ActionService") ? fuzzer : agent;
                List<byte[]> inputs =
                        messages().sampleStream().limit(GRPC_CASES_PER_METHOD).toList();
                List<CompletableFuture<Status>> calls = inputs.stream()
                        .map(bytes -> call(channel, method, secret, bytes))
                        .toList();
                for (int i = 0; i < inputs.size(); i++) {
                    Status status = calls.get(i).get(CALL_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
                    if (SERVER_FAULTS.contains(status.getCode())) {
                        faults.add(
                                method.getFullMethodName() + ": " + status + " for " + inputs.get(i).length + " bytes");
                    } else if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                        if (isWatchTheServerAccepts(method, inputs.get(i))) {
                            openWatches++;
                        } else if (method.getType().clientSendsOneMessage()) {
                            faults.add(method.getFullMethodName() + ": still open after " + CALL_DEADLINE + " for "
                                    + inputs.get(i).length + " bytes");
                        } else {
                            openClientStreams.merge(method.getFullMethodName(), 1, Integer::sum);
                        }
                    }
                }
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(faults)
                .as(
                        "server faults, and hangs of calls that send one request (%d open watches of valid requests;"
                                + " client streams left open, not judged here: %s); seed %d",
                        openWatches, openClientStreams, SEED)
                .isEmpty();
        assertThat(writtenByFuzzer())
                .as("rows the fuzzer's token caused; seed %d", SEED)
                .isEmpty();
        assertThat(auditOfAgent(host))
                .as("audit rows of the fuzzed agent; seed %d", SEED)
                .isSubsetOf("agent.enrolled", "agent.refused");
        given().get("/api/v1/workers").then().statusCode(200);
    }

    /** A Watch may stay open only for a request the server's own checks accept (a stream of changes). */
    private boolean isWatchTheServerAccepts(MethodDescriptor<?, ?> method, byte[] bytes) {
        if (!method.getFullMethodName()
                .equals(ActionServiceGrpc.getWatchMethod().getFullMethodName())) {
            return false;
        }
        try {
            lookup.check(WatchActionsRequest.parseFrom(bytes));
            return true;
        } catch (com.google.protobuf.InvalidProtocolBufferException | RuntimeException refused) {
            return false;
        }
    }

    /** Kinds of the audit rows the agent of this host caused. */
    private List<String> auditOfAgent(String host) {
        return pool.preparedQuery("""
                        SELECT DISTINCT e.kind FROM audit_events e JOIN agents a ON e.actor = 'agent ' || a.id
                        WHERE a.host_name = $1""")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(host))
                .map(rows -> {
                    List<String> kinds = new ArrayList<>();
                    rows.forEach(row -> kinds.add(row.getString("kind")));
                    return kinds;
                })
                .await()
                .atMost(Duration.ofSeconds(30));
    }

    /** Bodies as bytes: JSON with wrong types and values, huge and deep JSON, invalid UTF-8, noise. */
    private static Arbitrary<byte[]> bodies() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> jsonValue = Arbitraries.oneOf(
                text.map(HostileInputTest::quote),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "[]", "{}", "[1, \"a\", null]", "1e999", "-0", "\"\\u0000\""),
                Arbitraries.integers().between(100, 20_000).map(depth -> "[".repeat(depth) + "]".repeat(depth)),
                Arbitraries.integers().between(1, 150_000).map(length -> quote("x".repeat(length))));
        Arbitrary<String> field = Arbitraries.of(
                "operation",
                "target",
                "input",
                "exec",
                "argv",
                "force",
                "idempotencyKey",
                "queueTimeoutSeconds",
                "executionTimeoutSeconds",
                "name",
                "role",
                "pool",
                "labels",
                "reusable",
                "expiresInSeconds",
                "trace",
                "replay",
                "subject",
                "api",
                "durationSeconds",
                "params");
        Arbitrary<String> object = Combinators.combine(
                        field.list().ofMaxSize(6), jsonValue.list().ofSize(6))
                .as((names, values) -> {
                    StringBuilder json = new StringBuilder("{");
                    for (int i = 0; i < names.size(); i++) {
                        json.append(i == 0 ? "" : ", ")
                                .append(quote(names.get(i)))
                                .append(": ")
                                .append(values.get(i));
                    }
                    return json.append('}').toString();
                });
        Arbitrary<String> validLooking = Combinators.combine(
                        Arbitraries.of("EXEC", "TRACE", "exec", "", "UNRECOGNIZED"), text, jsonValue)
                .as((operation, target, argv) -> "{\"operation\": " + quote(operation) + ", \"target\": "
                        + quote(target) + ", \"input\": {\"exec\": {\"argv\": " + argv + "}}}");
        return Arbitraries.oneOf(
                object.map(HostileInputTest::utf8),
                validLooking.map(HostileInputTest::utf8),
                jsonValue.map(HostileInputTest::utf8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
                Arbitraries.of(
                        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                        new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'},
                        new byte[0]));
    }

    /** Protobuf payloads: random bytes, and messages of random (possibly nested, repeated, huge) fields. */
    private static Arbitrary<byte[]> messages() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> fields = Arbitraries.integers()
                .between(1, 30)
                .list()
                .ofMaxSize(12)
                .flatMap(numbers -> Arbitraries.strings()
                        .all()
                        .ofMaxLength(300)
                        .list()
                        .ofSize(numbers.size())
                        .map(values -> {
                            try {
                                var out = new java.io.ByteArrayOutputStream();
                                var coded = com.google.protobuf.CodedOutputStream.newInstance(out);
                                for (int i = 0; i < numbers.size(); i++) {
                                    coded.writeByteArray(
                                            numbers.get(i),
                                            values.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                                }
                                coded.flush();
                                return out.toByteArray();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }));
        Arbitrary<byte[]> varints = Arbitraries.longs().list().ofMaxSize(10).map(values -> {
            try {
                var out = new java.io.ByteArrayOutputStream();
                var coded = com.google.protobuf.CodedOutputStream.newInstance(out);
                for (int i = 0; i < values.size(); i++) {
                    coded.writeInt64(i + 1, values.get(i));
                }
                coded.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return Arbitraries.oneOf(noise, fields, varints);
    }

    private static List<MethodDescriptor<?, ?>> methods() {
        return Stream.of(
                        ActionServiceGrpc.getServiceDescriptor(),
                        AgentServiceGrpc.getServiceDescriptor(),
                        ArtifactServiceGrpc.getServiceDescriptor())
                .flatMap(service -> service.getMethods().stream())
                .<MethodDescriptor<?, ?>>map(method -> method)
                .toList();
    }

    /** Sends raw bytes as the request of a method, with a deadline: how the call ends (DEADLINE_EXCEEDED if it stayed open). */
    private static CompletableFuture<Status> call(
            ManagedChannel channel, MethodDescriptor<?, ?> method, String secret, byte[] bytes) {
        MethodDescriptor<byte[], byte[]> raw = method.toBuilder(BYTES, BYTES).build();
        ClientCall<byte[], byte[]> call = channel.newCall(
                raw, CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(
                new ClientCall.Listener<>() {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        closed.complete(status);
                    }
                },
                TestCredentials.headers(secret));
        call.request(Integer.MAX_VALUE);
        call.sendMessage(bytes);
        call.halfClose();
        return closed;
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new BadInputTest.RawBytes();

    private static int post(String path, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + Api.testPort() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Authorization", TestCredentials.bearer(fuzzer))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                json.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", c));
            } else {
                json.appendCodePoint(c);
            }
        });
        return json.append('"').toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String preview(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        return text.length() > 120 ? text.substring(0, 120) + "... (" + body.length + " bytes)" : text;
    }
}
