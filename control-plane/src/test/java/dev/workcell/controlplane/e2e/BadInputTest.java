package dev.workcell.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.LedgerProbe;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.RawGrpc;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.GetActionRequest;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.TaskSlice;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of bad request gets a clear 4xx / gRPC status naming what is wrong, and writes nothing. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BadInputTest {

    static final String TARGET =
            "bad-input-phone-" + UUID.randomUUID().toString().substring(0, 8);
    static AgentProcess agent;

    @Inject
    Pool pool;

    @GrpcClient("actions")
    ActionService grpc;

    long rowsBefore;

    @BeforeAll
    static void startAgent() {
        agent = AgentProcess.start("bad-input-host", TARGET, Api.testPort()).awaitRegistered();
    }

    @AfterAll
    static void stopAgent() {
        agent.close();
    }

    @BeforeEach
    void countRows() {
        rowsBefore = new LedgerProbe(pool).rows();
    }

    @AfterEach
    void ledgerIsUnchanged() {
        assertThat(new LedgerProbe(pool).rows()).as("ledger rows").isEqualTo(rowsBefore);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON        | {"operation": "EXEC",                                                         | 400 | body    | body
            not an object         | [1, 2, 3]                                                                      | 400 | body    | body
            empty body            | ' '                                                                            | 400 | body    | body
            unknown operation     | {"operation": "FLY", "target": "%T", "input": {"exec": {"argv": ["true"]}}}    | 400 | operation | (one of TRACE, REPLAY, REPORT, EXEC)
            operation as number   | {"operation": 99, "target": "%T", "input": {"exec": {"argv": ["true"]}}}       | 400 | operation | operation
            missing operation     | {"target": "%T", "input": {"exec": {"argv": ["true"]}}}                        | 400 | operation | operation
            missing target        | {"operation": "EXEC", "input": {"exec": {"argv": ["true"]}}}                   | 400 | target  | target
            missing input         | {"operation": "EXEC", "target": "%T"}                                          | 400 | input   | input
            input of another op   | {"operation": "TRACE", "target": "%T", "input": {"exec": {"argv": ["true"]}}}  | 400 | input   | input.exec does not match operation TRACE
            empty argv            | {"operation": "EXEC", "target": "%T", "input": {"exec": {"argv": []}}}         | 400 | input.exec.argv | input.exec.argv
            unknown field         | {"operation": "EXEC", "target": "%T", "colour": "red"}                         | 400 | body    | colour
            wrong type            | {"operation": "EXEC", "target": "%T", "input": {"exec": "echo hi"}}            | 400 | body    | body
            wrong number type     | {"operation": "EXEC", "target": "%T", "input": {"exec": {"argv": ["true"], "timeoutSeconds": "soon"}}} | 400 | input.exec.timeout_seconds | not a whole number
            number out of range   | {"operation": "EXEC", "target": "%T", "input": {"exec": {"argv": ["true"], "timeoutSeconds": 99999999999}}} | 400 | input.exec.timeout_seconds | out of range
            fraction for integer  | {"operation": "EXEC", "target": "%T", "queueTimeoutSeconds": 1.5, "input": {"exec": {"argv": ["true"]}}} | 400 | queue_timeout_seconds | not a whole number
            negative timeout      | {"operation": "EXEC", "target": "%T", "input": {"exec": {"argv": ["true"], "timeoutSeconds": -1}}} | 400 | input.exec.timeout_seconds | input.exec.timeout_seconds
            bad api               | {"operation": "REPLAY", "target": "%T", "input": {"replay": {"trace": "t", "api": "dx12"}}} | 400 | input.replay.api | input.replay.api
            NUL in argv           | {"operation": "EXEC", "target": "%T", "input": {"exec": {"argv": ["echo", "a\u0000b"]}}} | 400 | input.exec.argv[1] | NUL
            NUL in env value      | {"operation": "EXEC", "target": "%T", "input": {"exec": {"argv": ["env"], "env": {"A": "x\u0000"}}}} | 400 | input.exec.env["A"] | NUL
            NUL in env name       | {"operation": "EXEC", "target": "%T", "input": {"exec": {"argv": ["env"], "env": {"A\u0000B": "x"}}}} | 400 | input.exec.env["A\\0B"] | NUL
            NUL in trace subject  | {"operation": "TRACE", "target": "%T", "input": {"trace": {"subject": "app\u0000"}}} | 400 | input.trace.subject | NUL
            NUL in template param | {"operation": "REPORT", "target": "%T", "input": {"report": {"trace": "t", "params": {"k": "\u0000"}}}} | 400 | input.report.params["k"] | NUL
            NUL in target         | {"operation": "EXEC", "target": "a\u0000b", "input": {"exec": {"argv": ["true"]}}} | 400 | target | NUL
            unknown target        | {"operation": "EXEC", "target": "no-such-phone", "input": {"exec": {"argv": ["true"]}}} | 404 |         | no worker for device no-such-phone
            operation not served  | {"operation": "TRACE", "target": "%T", "input": {"trace": {"subject": "app"}}} | 404 |         | runs TRACE
            """)
    void submitIsRefused(String name, String body, int status, String field, String message) {
        given().contentType("application/json")
                .body(body.replace("%T", TARGET))
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(status)
                .contentType("application/json")
                .body("field", equalTo(field))
                .body("error", containsString(message));
    }

    @Test
    void invalidUtf8InABodyIsRefusedNamingItsField() {
        byte[] before = ("{\"operation\": \"EXEC\", \"target\": \"" + TARGET
                        + "\", \"input\": {\"exec\": {\"argv\": [\"echo\", \"caf")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] after = "\"]}}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = new byte[before.length + 1 + after.length];
        System.arraycopy(before, 0, body, 0, before.length);
        body[before.length] = (byte) 0xe9; // Latin-1 é: not UTF-8
        System.arraycopy(after, 0, body, before.length + 1, after.length);

        given().contentType("application/json")
                .body(body)
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(400)
                .body("field", equalTo("input.exec.argv"))
                .body("error", containsString("not valid UTF-8"));
    }

    @Test
    void oversizedInputIsRefused() {
        String huge = "x".repeat(70_000);
        given().contentType("application/json")
                .body("{\"operation\": \"EXEC\", \"target\": \"" + TARGET
                        + "\", \"input\": {\"exec\": {\"argv\": [\"echo\", \"" + huge + "\"]}}}")
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(400)
                .body("field", equalTo("input"))
                .body("error", containsString("over the limit"));
    }

    @Test
    void bodyOverTheHttpLimitIsRefused() throws Exception {
        // Refused on the declared length, before the body is sent (what Expect: 100-continue waits for).
        String answer;
        try (java.net.Socket socket = new java.net.Socket("localhost", Api.testPort())) {
            socket.getOutputStream()
                    .write(("POST /api/v1/actions HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Authorization: " + TestCredentials.bearer(TestCredentials.ADMIN) + "\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("Content-Type: application/json");
        assertThat(io.restassured.path.json.JsonPath.from(answer.substring(answer.indexOf("\r\n\r\n") + 4))
                        .getString("error"))
                .contains("over the limit of 1048576 bytes");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET  | /api/v1/actions/not-an-id                                 | 400 | is not an action id
            GET  | /api/v1/actions/0000000000000000000000000000000000000000  | 404 | no action
            GET  | /api/v1/actions/ABCDEF0000000000000000000000000000000000  | 400 | is not an action id
            GET  | /api/v1/actions/0000000000000000000000000000000000000000/events | 404 | no action
            POST | /api/v1/actions/not-an-id/cancel                          | 400 | is not an action id
            POST | /api/v1/actions/0000000000000000000000000000000000000000/cancel | 404 | no action
            GET  | /api/v1/actions?status=SLEEPING                           | 400 | status
            GET  | /api/v1/actions?operation=FLY                             | 400 | operation
            GET  | /api/v1/actions?since=yesterday                           | 400 | since
            GET  | /api/v1/actions?pageToken=garbage                         | 400 | page_token
            GET  | /api/v1/actions?pageSize=100000                           | 400 | page_size
            GET  | /api/v1/actions?pageSize=abc                              | 400 | page_size
            GET  | /api/v1/actions?pageSize=99999999999                      | 400 | page_size
            GET  | /api/v1/actions/0000000000000000000000000000000000000000/log?attempt=x | 400 | attempt
            GET  | /api/v1/audit?limit=many                                  | 400 | limit
            GET  | /api/v1/no-such-thing                                     | 404 | no such path
            GET  | /nothing/here                                             | 404 | no such path
            DELETE | /api/v1/actions                                         | 405 | 405
            """)
    void readsWithBadIdsOrFiltersAreRefused(String method, String path, int status, String message) {
        given().when()
                .request(method, path)
                .then()
                .statusCode(status)
                .contentType("application/json")
                .body("error", containsString(message));
    }

    @Test
    void listFiltersWithUnknownEnumValuesNameTheirField() {
        given().queryParam("operation", "fly")
                .when()
                .get("/api/v1/actions")
                .then()
                .statusCode(400)
                .body("field", equalTo("operation"))
                .body("error", containsString("'fly'"));
    }

    @Test
    void refusalsOfTheHttpLayerUseTheJsonErrorShape() {
        given().auth()
                .none()
                .when()
                .get("/api/v1/whoami")
                .then()
                .statusCode(401)
                .contentType("application/json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", containsString("credential"));
        given().auth()
                .oauth2("wct_no-such-token")
                .when()
                .get("/api/v1/whoami")
                .then()
                .statusCode(401)
                .contentType("application/json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", containsString("unknown, expired or revoked credential"));
        given().auth()
                .oauth2(viewerToken())
                .contentType("application/json")
                .body("{}")
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(403)
                .contentType("application/json")
                .body("error", containsString("role"));
        given().contentType("text/plain")
                .body("hello")
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(415)
                .contentType("application/json")
                .body("error", containsString("415"));
    }

    private static String viewerToken() {
        return given().contentType("application/json")
                .body("{\"name\": \"bad-input-viewer\", \"role\": \"viewer\"}")
                .when()
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");
    }

    @Test
    void grpcSubmitWithUnknownEnumValueIsInvalidArgument() {
        assertStatus(
                Status.Code.INVALID_ARGUMENT,
                "operation",
                () -> grpc.submit(SubmitActionRequest.newBuilder()
                                .setOperationValue(42)
                                .setTarget(TARGET)
                                .setInput(exec())
                                .build())
                        .await()
                        .atMost(Duration.ofSeconds(5)));
    }

    @Test
    void grpcSubmitWithoutTargetIsInvalidArgument() {
        assertStatus(
                Status.Code.INVALID_ARGUMENT,
                "target",
                () -> grpc.submit(SubmitActionRequest.newBuilder()
                                .setOperation(Operation.EXEC)
                                .setInput(exec())
                                .build())
                        .await()
                        .atMost(Duration.ofSeconds(5)));
    }

    @Test
    void grpcSubmitForUnknownTargetIsNotFound() {
        assertStatus(
                Status.Code.NOT_FOUND,
                "no worker for device ghost",
                () -> grpc.submit(SubmitActionRequest.newBuilder()
                                .setOperation(Operation.EXEC)
                                .setTarget("ghost")
                                .setInput(exec())
                                .build())
                        .await()
                        .atMost(Duration.ofSeconds(5)));
    }

    @Test
    void grpcSubmitByDimensionsWithBadGrammarOrADimensionNoDeviceHadIsRefused() {
        assertStatus(
                Status.Code.INVALID_ARGUMENT,
                "dimensions.sdk: '>=x': >= needs a number",
                () -> grpc.submit(SubmitActionRequest.newBuilder()
                                .setOperation(Operation.EXEC)
                                .putDimensions("sdk", ">=x")
                                .setInput(exec())
                                .build())
                        .await()
                        .atMost(Duration.ofSeconds(5)));
        assertStatus(
                Status.Code.INVALID_ARGUMENT,
                "slices[0].dimensions.gpu",
                () -> grpc.submit(SubmitActionRequest.newBuilder()
                                .setOperation(Operation.EXEC)
                                .addSlices(TaskSlice.newBuilder().putDimensions("gpu", "a*b"))
                                .setInput(exec())
                                .build())
                        .await()
                        .atMost(Duration.ofSeconds(5)));
        assertStatus(
                Status.Code.NOT_FOUND,
                "no registered device ever had dimension rack",
                () -> grpc.submit(SubmitActionRequest.newBuilder()
                                .setOperation(Operation.EXEC)
                                .putDimensions("rack", "7")
                                .setInput(exec())
                                .build())
                        .await()
                        .atMost(Duration.ofSeconds(5)));
    }

    @Test
    void grpcGetWithBadOrUnknownIdIsRefused() {
        assertStatus(
                Status.Code.INVALID_ARGUMENT,
                "id",
                () -> grpc.get(GetActionRequest.newBuilder().setId("zz").build())
                        .await()
                        .atMost(Duration.ofSeconds(5)));
        assertStatus(
                Status.Code.NOT_FOUND,
                "no action",
                () -> grpc.get(GetActionRequest.newBuilder()
                                .setId("1".repeat(40))
                                .build())
                        .await()
                        .atMost(Duration.ofSeconds(5)));
    }

    @Test
    void grpcSubmitWithMalformedProtobufIsRefused() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", Api.testPort())
                .usePlaintext()
                .build();
        try {
            MethodDescriptor<byte[], byte[]> submit = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName("workcell.v1.ActionService/Submit")
                    .setRequestMarshaller(new RawBytes())
                    .setResponseMarshaller(new RawBytes())
                    .build();
            io.grpc.Channel asAdmin = io.grpc.ClientInterceptors.intercept(
                    channel,
                    io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(
                            TestCredentials.headers(TestCredentials.ADMIN)));
            StatusRuntimeException refused = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(
                            asAdmin, submit, CallOptions.DEFAULT, new byte[] {(byte) 0xff, 0x01, 0x02}));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused.getStatus().getDescription()).contains("not a valid protobuf message");
            assertStatus(
                    Status.Code.NOT_FOUND,
                    "no action",
                    () -> grpc.get(GetActionRequest.newBuilder()
                                    .setId("2".repeat(40))
                                    .build())
                            .await()
                            .atMost(Duration.ofSeconds(5)));
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void grpcSubmitWithNulInTheInputIsInvalidArgumentNamingTheField() {
        assertStatus(
                Status.Code.INVALID_ARGUMENT,
                "input.exec.argv[1]: contains a NUL character",
                () -> grpc.submit(SubmitActionRequest.newBuilder()
                                .setOperation(Operation.EXEC)
                                .setTarget(TARGET)
                                .setInput(ActionInput.newBuilder()
                                        .setExec(ExecInput.newBuilder()
                                                .addArgv("echo")
                                                .addArgv("a\0b")))
                                .build())
                        .await()
                        .atMost(Duration.ofSeconds(5)));
    }

    @Test
    void grpcSubmitWithInvalidUtf8InAStringIsInvalidArgument() throws Exception {
        byte[] target = "caf\u00e9".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1); // not UTF-8
        byte[] message = new byte[] {0x08, 0x04, 0x12, (byte) target.length, 0, 0, 0, 0}; // operation EXEC, target
        System.arraycopy(target, 0, message, 4, target.length);

        Map<String, String> answer =
                RawGrpc.call(Api.testPort(), "workcell.v1.ActionService/Submit", message, TestCredentials.ADMIN);

        assertThat(answer).containsEntry("grpc-status", Integer.toString(Status.Code.INVALID_ARGUMENT.value()));
    }

    @Test
    void grpcStatusMessagesArePercentEncodedOnlyWhereTheSpecSays() throws Exception {
        byte[] request = GetActionRequest.newBuilder()
                .setId("x, y: caf\u00e9 100%")
                .build()
                .toByteArray();

        Map<String, String> answer =
                RawGrpc.call(Api.testPort(), "workcell.v1.ActionService/Get", request, TestCredentials.ADMIN);

        assertThat(answer).containsEntry("grpc-status", Integer.toString(Status.Code.INVALID_ARGUMENT.value()));
        assertThat(answer.get("grpc-message"))
                .startsWith("id: 'x, y: caf%C3%A9 100%25' is not an action id (40 lowercase hex");
    }

    @Test
    void grpcCallsWithAnUnknownOrMissingCredentialGetUnauthenticatedWithAMessage() throws Exception {
        byte[] request =
                GetActionRequest.newBuilder().setId("1".repeat(40)).build().toByteArray();

        Map<String, String> unknown =
                RawGrpc.call(Api.testPort(), "workcell.v1.ActionService/Get", request, "wct_no-such-token");
        Map<String, String> missing = RawGrpc.call(Api.testPort(), "workcell.v1.ActionService/Get", request, null);

        assertThat(unknown)
                .containsEntry(":status", "200")
                .containsEntry("grpc-status", Integer.toString(Status.Code.UNAUTHENTICATED.value()))
                .containsEntry("grpc-message", "unknown, expired or revoked credential");
        assertThat(missing)
                .containsEntry(":status", "200")
                .containsEntry("grpc-status", Integer.toString(Status.Code.UNAUTHENTICATED.value()))
                .containsEntry("grpc-message", "a credential is required: metadata \"authorization: Bearer <token>\"");
    }

    private static ActionInput exec() {
        return ActionInput.newBuilder()
                .setExec(ExecInput.newBuilder().addArgv("true"))
                .build();
    }

    private static void assertStatus(Status.Code code, String message, Supplier<?> call) {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, call::get);
        assertThat(refused).as("expected %s", code).isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(code);
        assertThat(refused.getStatus().getDescription()).contains(message);
    }

    /** Sends bytes as they are. */
    static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
