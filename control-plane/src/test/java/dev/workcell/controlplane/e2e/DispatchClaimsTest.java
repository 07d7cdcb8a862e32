package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.quote;
import static dev.workcell.controlplane.testing.Api.submit;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.Management;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Task;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher claims for a device only when it is free and something may wait for it. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DispatchClaimsTest {

    private static final int WAITING = 4;

    @GrpcClient("agents")
    AgentService agents;

    @Test
    void submitsToABusyDeviceAndTheEndOfItsLastAttemptClaimNothing() {
        try (FakeAgent agent = new FakeAgent(agents)) {
            String target = unique("claims-device");
            agent.register(unique("claims-host"), target);
            String first = submitShell(target, "echo first");
            Task running = agent.next(ControlMessage::hasTask).getTask();
            assertThat(running.getActionId()).isEqualTo(first);

            double beforeWaiting = claims();
            List<String> waiting = new ArrayList<>();
            for (int i = 0; i < WAITING; i++) {
                waiting.add(submitShell(target, "echo waiting " + i));
            }
            assertThat(claims() - beforeWaiting)
                    .as("claims for a device busy with an attempt")
                    .isZero();

            for (int i = 0; i < WAITING; i++) {
                agent.send(update(running.getActionId(), running.getAttempt(), ActionStatus.SUCCEEDED));
                running = agent.next(ControlMessage::hasTask).getTask();
                assertThat(running.getActionId()).isEqualTo(waiting.get(i));
            }
            double beforeLastEnds = claims();
            agent.send(update(running.getActionId(), running.getAttempt(), ActionStatus.SUCCEEDED));
            awaitStatus(running.getActionId(), "SUCCEEDED");

            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> claims() == beforeLastEnds);
            assertThat(claims() - beforeLastEnds)
                    .as("claims after the last attempt of an emptied queue ended")
                    .isZero();
        }
    }

    @Test
    void theEndOfAnAttemptByDimensionsClaimsOnlyWhileSomethingMayWaitInTheDevicesSets() {
        try (FakeAgent agent = new FakeAgent(agents)) {
            String host = unique("claims-set-host");
            agent.register(host, unique("claims-set-device"));
            String byHost = "{\"host\": \"%s\"}".formatted(host);

            String first = submitByDimensions(byHost, "echo first");
            Task running = agent.next(ControlMessage::hasTask).getTask();
            assertThat(running.getActionId()).isEqualTo(first);
            String waiting = submitByDimensions(byHost, "echo waiting");
            agent.send(update(first, running.getAttempt(), ActionStatus.SUCCEEDED));
            running = agent.next(ControlMessage::hasTask).getTask();
            assertThat(running.getActionId())
                    .as("the action that waited in the set, claimed when the device came free")
                    .isEqualTo(waiting);
            agent.send(update(waiting, running.getAttempt(), ActionStatus.SUCCEEDED));
            awaitStatus(waiting, "SUCCEEDED");
            awaitNoMoreClaims();

            String alone = submitByDimensions(byHost, "echo alone");
            running = agent.next(ControlMessage::hasTask).getTask();
            assertThat(running.getActionId()).isEqualTo(alone);
            double beforeItEnds = claims();
            agent.send(update(alone, running.getAttempt(), ActionStatus.SUCCEEDED));
            awaitStatus(alone, "SUCCEEDED");

            awaitNoMoreClaims();
            assertThat(claims() - beforeItEnds)
                    .as("claims after the only action of a set known empty ended")
                    .isZero();
        }
    }

    private static String submitByDimensions(String dimensions, String script) {
        return submit("""
                {"operation": "EXEC", "dimensions": %s, "input": {"exec": {"argv": ["sh", "-c", %s]}}}""".formatted(dimensions, quote(script)));
    }

    /** Waits until no claim was tried for half a second (the sweep claims only for due work). */
    private static void awaitNoMoreClaims() {
        double[] seen = {claims()};
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> {
            double now = claims();
            boolean still = now == seen[0];
            seen[0] = now;
            return still;
        });
    }

    /** Claims tried so far, for a device's own queue or with the dimension sets it matches. */
    private static double claims() {
        return Management.value(Management.samples(Management.testPort()), "ft_invocations_total", "Ledger.claim");
    }
}
