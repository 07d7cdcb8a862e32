package dev.workcell.controlplane.openapi;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.ServedOpenApi;
import dev.workcell.controlplane.testing.SseLines;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Task;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real answers of the running server, each checked against the schema /q/openapi documents for its
 * operation and status (every schema forbids properties it does not name), so that the document
 * cannot drift from what the server sends without a test failing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OpenApiResponsesTest {

    @GrpcClient("agents")
    AgentService agents;

    private ServedOpenApi document;
    private final List<String> findings = new ArrayList<>();

    @BeforeEach
    void readTheServedDocument() {
        document = ServedOpenApi.fetch();
    }

    @Test
    void actionAnswersMatchTheirDocumentedSchemasThroughAnActionsLife() throws InterruptedException {
        String host = unique("openapi-host");
        String target = unique("openapi-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            String submit = """
                    {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["echo", "hi"], "env": {"A": "1"}}},
                     "idempotencyKey": "%s"}""".formatted(target, target);
            String id = JsonPath.from(expect("POST /api/v1/actions", "/api/v1/actions", submit, 201))
                    .getString("action.id");
            expect("POST /api/v1/actions", "/api/v1/actions", submit, 200);
            try (SseLines watch = new SseLines("/api/v1/actions/watch?id=" + id)) {
                String event = watch.next(Duration.ofSeconds(10));
                assertThat(event).as("the watch's first event").startsWith("data:");
                findings.addAll(document.check("GET /api/v1/actions/{id}", 200, event.substring("data:".length())));
            }

            Task task = agent.next(ControlMessage::hasTask).getTask();
            agent.send(update(task.getActionId(), task.getAttempt(), ActionStatus.SUCCEEDED));
            awaitStatus(id, "SUCCEEDED");

            String done = expect("GET /api/v1/actions/{id}", "/api/v1/actions/" + id, null, 200);
            assertThat(JsonPath.from(done).getString("output.stdoutTail"))
                    .as("an action with output is checked")
                    .isEqualTo("ok");
            expect("GET /api/v1/actions/{id}/events", "/api/v1/actions/" + id + "/events", null, 200);
            expect("GET /api/v1/actions/{id}/pending", "/api/v1/actions/" + id + "/pending", null, 200);
            expect("GET /api/v1/actions", "/api/v1/actions?target=" + target + "&pageSize=1", null, 200);
            expect("POST /api/v1/actions/{id}/cancel", "/api/v1/actions/" + id + "/cancel", null, 409);
            expect("GET /api/v1/devices", "/api/v1/devices", null, 200);
            expect("GET /api/v1/workers", "/api/v1/workers", null, 200);
        }

        assertThat(findings).isEmpty();
    }

    @Test
    void errorAnswersMatchTheDocumentedErrorShape() {
        expect("GET /api/v1/actions", "/api/v1/actions?pageSize=many", null, 400);
        expect("GET /api/v1/actions/{id}", "/api/v1/actions/" + "0".repeat(40), null, 404);
        expect("GET /api/v1/actions/{id}/pending", "/api/v1/actions/" + "0".repeat(40) + "/pending", null, 404);
        expect(
                "POST /api/v1/actions",
                "/api/v1/actions",
                "{\"operation\": \"EXEC\", \"target\": 7, \"nonsense\": 1}",
                400);
        expect("GET /api/v1/audit", "/api/v1/audit?limit=0", null, 400);
        String anonymous = given().auth()
                .none()
                .get("/api/v1/devices")
                .then()
                .statusCode(401)
                .extract()
                .asString();
        findings.addAll(document.check("GET /api/v1/devices", 401, anonymous));

        assertThat(findings).isEmpty();
    }

    @Test
    void accessAndPoolAnswersMatchTheirDocumentedSchemas() {
        String client = JsonPath.from(expect(
                        "POST /api/v1/tokens",
                        "/api/v1/tokens",
                        "{\"name\": \"openapi-" + TestCredentials.RUN
                                + "\", \"role\": \"viewer\", \"expiresInSeconds\": 3600}",
                        201))
                .getString("token.id");
        expect("GET /api/v1/tokens", "/api/v1/tokens", null, 200);
        expect("DELETE /api/v1/tokens/{id}", "/api/v1/tokens/" + client, null, 200);

        String pool = unique("openapi-pool");
        String enrollment = JsonPath.from(expect(
                        "POST /api/v1/enrollment-tokens",
                        "/api/v1/enrollment-tokens",
                        "{\"pool\": \"" + pool + "\", \"labels\": [\"gpu\"], \"reusable\": true}",
                        201))
                .getString("token.id");
        expect("GET /api/v1/enrollment-tokens", "/api/v1/enrollment-tokens", null, 200);

        String host = unique("openapi-pooled-host");
        try (FakeAgent agent = new FakeAgent(agents, pool)) {
            agent.register(host, unique("openapi-pooled-phone"));
            expect("GET /api/v1/pools", "/api/v1/pools", null, 200);
            String agentId = JsonPath.from(expect("GET /api/v1/pools/{pool}", "/api/v1/pools/" + pool, null, 200))
                    .getString("agents[0].id");
            expect("POST /api/v1/agents/{id}/drain", "/api/v1/agents/" + agentId + "/drain", null, 200);
            expect("POST /api/v1/agents/{id}/undrain", "/api/v1/agents/" + agentId + "/undrain", null, 200);
            expect("GET /api/v1/agents", "/api/v1/agents", null, 200);
        }
        expect("DELETE /api/v1/enrollment-tokens/{id}", "/api/v1/enrollment-tokens/" + enrollment, null, 200);
        expect("GET /api/v1/whoami", "/api/v1/whoami", null, 200);
        expect("GET /api/v1/audit", "/api/v1/audit?limit=20", null, 200);

        assertThat(findings).isEmpty();
    }

    /** Calls the server as the test admin, requires the status, checks the answer against the document, returns its body. */
    private String expect(String operation, String pathAndQuery, String body, int status) {
        RequestSpecification request = given();
        if (body != null) {
            request.contentType("application/json").body(body);
        }
        Response response = request.request(operation.split(" ")[0], pathAndQuery);
        String answer = response.then().statusCode(status).extract().asString();
        findings.addAll(document.check(operation, status, answer));
        return answer;
    }
}
