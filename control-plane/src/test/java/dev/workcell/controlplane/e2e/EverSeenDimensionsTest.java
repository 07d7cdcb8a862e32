package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.submit;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.AgentService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * A submit by dimensions is checked against the values devices ever had, which the control plane keeps
 * as last read: a value first seen since then is read again, not refused.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class EverSeenDimensionsTest {

    @GrpcClient("agents")
    AgentService agents;

    @Test
    void aValueFirstSeenAfterTheValuesWereReadIsAcceptedAndAValueNeverSeenIsStillRefused() {
        String firstHost = unique("seen-first");
        String laterHost = unique("seen-later");
        try (FakeAgent first = new FakeAgent(agents);
                FakeAgent later = new FakeAgent(agents)) {
            first.register(firstHost, unique("seen-device"));
            submit(byHost(firstHost));

            later.register(laterHost, unique("seen-device"));
            submit(byHost(laterHost));

            given().contentType(ContentType.JSON)
                    .body(byHost(unique("never-seen")))
                    .post("/api/v1/actions")
                    .then()
                    .statusCode(404)
                    .body("field", equalTo("dimensions.host"));
        }
    }

    private static String byHost(String host) {
        return """
                {"operation": "EXEC", "dimensions": {"host": "%s"}, "input": {"exec": {"argv": ["true"]}}}""".formatted(host);
    }
}
