package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.Management;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.GetActionRequest;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** A call's bearer secret is read from the database once, however many checks ask who the caller is. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CredentialLookupsTest {

    private static final int CALLS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @GrpcClient("agents")
    AgentService agents;

    @GrpcClient("actions")
    ActionService actions;

    @Test
    void eachRestAndGrpcCallLooksItsSecretUpOnce() {
        try (FakeAgent agent = new FakeAgent(agents)) {
            String target = unique("lookups-phone");
            agent.register(unique("lookups-host"), target);
            String id = submitShell(target, "true");

            assertThat(lookupsDuring(() -> {
                        for (int i = 0; i < CALLS; i++) {
                            submitShell(target, "echo rest " + i);
                        }
                        return CALLS;
                    }))
                    .as("REST submits")
                    .isEqualTo(CALLS);
            assertThat(lookupsDuring(() -> {
                        for (int i = 0; i < CALLS; i++) {
                            given().get("/api/v1/actions/" + id).then().statusCode(200);
                        }
                        return CALLS;
                    }))
                    .as("REST reads")
                    .isEqualTo(CALLS);
            assertThat(lookupsDuring(() -> {
                        for (int i = 0; i < CALLS; i++) {
                            actions.submit(SubmitActionRequest.newBuilder()
                                            .setOperation(Operation.EXEC)
                                            .setTarget(target)
                                            .setInput(ActionInput.newBuilder()
                                                    .setExec(ExecInput.newBuilder()
                                                            .addArgv("echo")
                                                            .addArgv("grpc " + i)))
                                            .build())
                                    .await()
                                    .atMost(TIMEOUT);
                        }
                        return CALLS;
                    }))
                    .as("gRPC submits")
                    .isEqualTo(CALLS);
            assertThat(lookupsDuring(() -> {
                        for (int i = 0; i < CALLS; i++) {
                            actions.get(GetActionRequest.newBuilder().setId(id).build())
                                    .await()
                                    .atMost(TIMEOUT);
                        }
                        return CALLS;
                    }))
                    .as("gRPC reads")
                    .isEqualTo(CALLS);
        }
    }

    /** The database lookups of bearer secrets while the calls run (the fake agent's stream authenticated before). */
    private static double lookupsDuring(IntSupplier calls) {
        double before = lookups();
        calls.getAsInt();
        return lookups() - before;
    }

    private static double lookups() {
        return Management.value(Management.samples(Management.testPort()), "workcell_credential_lookups_total");
    }
}
