package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.action;
import static dev.workcell.controlplane.testing.Api.deviceId;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.Management;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.AgentService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** A submit to a device the control plane knows resolves it from memory; an unknown one still reads the database. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DeviceLookupsTest {

    private static final int CALLS = 5;

    @GrpcClient("agents")
    AgentService agents;

    @Test
    void submitsToAKnownDeviceByIdOrSerialReadNoWorkers() {
        try (FakeAgent agent = new FakeAgent(agents)) {
            String target = unique("lookups-device");
            agent.register(unique("lookups-host"), target);
            String id = deviceId(target);
            submitShell(target, "echo warm by serial");
            submitShell(id, "echo warm by id");

            double before = reads();
            for (int i = 0; i < CALLS; i++) {
                submitShell(target, "echo by serial " + i);
                submitShell(id, "echo by id " + i);
            }

            assertThat(reads() - before)
                    .as("reads of a device's workers during %d submits", 2 * CALLS)
                    .isZero();
        }
    }

    @Test
    void anUnknownDeviceIsLookedUpInTheDatabaseAndRefused() {
        String unknown = unique("never-registered");
        double before = reads();

        given().contentType(ContentType.JSON)
                .body("""
                        {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["true"]}}}""".formatted(unknown))
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(404);

        assertThat(reads() - before).as("reads for a device no replica knows").isEqualTo(1);
    }

    @Test
    void aDeviceRegisteredAfterAMissIsFoundAtOnce() {
        String target = unique("late-device");
        given().contentType(ContentType.JSON)
                .body("""
                        {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["true"]}}}""".formatted(target))
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(404);
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("late-host"), target);

            assertThat(action(submitShell(target, "true")).getString("target")).isEqualTo(deviceId(target));
        }
    }

    @Test
    void aDeviceThatMovedToAnotherHostIsSubmittedToItsNewHost() {
        String target = unique("moving-device");
        String oldHost = unique("old-host");
        String newHost = unique("new-host");
        try (FakeAgent first = new FakeAgent(agents)) {
            first.register(oldHost, target);
            assertThat(action(submitShell(target, "true")).getString("host")).isEqualTo(deviceId(oldHost));
        }
        try (FakeAgent second = new FakeAgent(agents)) {
            second.register(newHost, target);

            assertThat(action(submitShell(target, "echo moved")).getString("host"))
                    .isEqualTo(deviceId(newHost));
        }
    }

    private static double reads() {
        return Management.value(Management.samples(Management.testPort()), "workcell_device_worker_reads_total");
    }
}
