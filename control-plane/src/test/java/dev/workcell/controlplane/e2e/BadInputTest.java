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
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.GetActionRequest;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
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

    static final String TARGET = "bad-input-phone-" + UUID.randomUUID().toString().substring(0, 8);
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
            malformed JSON        | {"operation": "EXEC",                                                         | 400 | body
            not an object         | [1, 2, 3]                                                                      | 400 | body
            empty body            | ' '                                                                            | 400 | body
            unknown operation     | {"operation": "FLY", "target": "%T", "input": {"exec": {"argv": ["true"]}}}    | 400 | Operation
            operation as number   | {"operation": 99, "target": "%T", "input": {"exec": {"argv": ["true"]}}}       | 400 | operation
            missing operation     | {"target": "%T", "input": {"exec": {"argv": ["true"]}}}                        | 400 | operation
            missing target        | {"operation": "EXEC", "input": {"exec": {"argv": ["true"]}}}                   | 400 | target
            missing input         | {"operation": "EXEC", "target": "%T"}                                          | 400 | input
            input of another op   | {"operation": "TRACE", "target": "%T", "input": {"exec": {"argv": ["true"]}}}  | 400 | input.exec does not match operation TRACE
            empty argv            | {"operation": "EXEC", "target": "%T", "input": {"exec": {"argv": []}}}         | 400 | input.exec.argv
            unknown field         | {"operation": "EXEC", "target": "%T", "colour": "red"}                         | 400 | colour
            wrong type            | {"operation": "EXEC", "target": "%T", "input": {"exec": "echo hi"}}            | 400 | body
            wrong number type     | {"operation": "EXEC", "target": "%T", "input": {"exec": {"argv": ["true"], "timeoutSeconds": "soon"}}} | 400 | soon
            negative timeout      | {"operation": "EXEC", "target": "%T", "input": {"exec": {"argv": ["true"], "timeoutSeconds": -1}}} | 400 | input.exec.timeout_seconds
            bad api               | {"operation": "REPLAY", "target": "%T", "input": {"replay": {"trace": "t", "api": "dx12"}}} | 400 | input.replay.api
            unknown target        | {"operation": "EXEC", "target": "no-such-phone", "input": {"exec": {"argv": ["true"]}}} | 404 | no worker for device no-such-phone
            operation not served  | {"operation": "TRACE", "target": "%T", "input": {"trace": {"subject": "app"}}} | 404 | runs TRACE
            """)
    void submitIsRefused(String name, String body, int status, String message) {
        given().contentType("application/json").body(body.replace("%T", TARGET))
                .when().post("/api/v1/actions")
                .then().statusCode(status).body("error", containsString(message));
    }

    @Test
    void oversizedInputIsRefused() {
        String huge = "x".repeat(70_000);
        given().contentType("application/json")
                .body("{\"operation\": \"EXEC\", \"target\": \"" + TARGET + "\", \"input\": {\"exec\": {\"argv\": [\"echo\", \"" + huge + "\"]}}}")
                .when().post("/api/v1/actions")
                .then().statusCode(400).body("field", equalTo("input")).body("error", containsString("over the limit"));
    }

    @Test
    void bodyOverTheHttpLimitIsRefused() throws Exception {
        // Expect: 100-continue lets the server refuse on the declared length before the body is sent.
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + Api.testPort() + "/api/v1/actions"))
                .expectContinue(true)
                .header("Content-Type", "application/json")
                .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"target\": \"" + "y".repeat(2_000_000) + "\"}"))
                .build();
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
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
            """)
    void readsWithBadIdsOrFiltersAreRefused(String method, String path, int status, String message) {
        given().when().request(method, path).then().statusCode(status).body("error", containsString(message));
    }

    @Test
    void grpcSubmitWithUnknownEnumValueIsInvalidArgument() {
        assertStatus(Status.Code.INVALID_ARGUMENT, "operation", () -> grpc.submit(SubmitActionRequest.newBuilder()
                .setOperationValue(42).setTarget(TARGET).setInput(exec()).build()).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void grpcSubmitWithoutTargetIsInvalidArgument() {
        assertStatus(Status.Code.INVALID_ARGUMENT, "target", () -> grpc.submit(SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC).setInput(exec()).build()).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void grpcSubmitForUnknownTargetIsNotFound() {
        assertStatus(Status.Code.NOT_FOUND, "no worker for device ghost", () -> grpc.submit(SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC).setTarget("ghost").setInput(exec()).build()).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void grpcGetWithBadOrUnknownIdIsRefused() {
        assertStatus(Status.Code.INVALID_ARGUMENT, "id", () -> grpc.get(GetActionRequest.newBuilder().setId("zz").build())
                .await().atMost(Duration.ofSeconds(5)));
        assertStatus(Status.Code.NOT_FOUND, "no action", () -> grpc.get(GetActionRequest.newBuilder()
                .setId("1".repeat(40)).build()).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void grpcSubmitWithMalformedProtobufIsRefused() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", Api.testPort()).usePlaintext().build();
        try {
            MethodDescriptor<byte[], byte[]> submit = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName("workcell.v1.ActionService/Submit")
                    .setRequestMarshaller(new RawBytes())
                    .setResponseMarshaller(new RawBytes())
                    .build();
            io.grpc.Channel asAdmin = io.grpc.ClientInterceptors.intercept(channel,
                    io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(TestCredentials.headers(TestCredentials.ADMIN)));
            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(asAdmin, submit, CallOptions.DEFAULT, new byte[] {(byte) 0xff, 0x01, 0x02}));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused.getStatus().getDescription()).contains("not a valid protobuf message");
            assertStatus(Status.Code.NOT_FOUND, "no action", () -> grpc.get(GetActionRequest.newBuilder()
                    .setId("2".repeat(40)).build()).await().atMost(Duration.ofSeconds(5)));
        } finally {
            channel.shutdownNow();
        }
    }

    private static ActionInput exec() {
        return ActionInput.newBuilder().setExec(ExecInput.newBuilder().addArgv("true")).build();
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
