package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.deviceId;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.workersOfHost;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.ProcessDatabase;
import dev.workcell.controlplane.testing.TcpProxy;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two control-plane replicas on one PostgreSQL, an agent on each, every client call through the
 * replica that does not hold the agent. The periodic sweep is slowed to a minute, so only
 * LISTEN/NOTIFY can bring a submit (by target or by dimensions) to the other replica's agent in
 * time: it must run within {@link #CROSS_REPLICA_BOUND}. Cancels cross over too; an agent whose stream to B stalls moves to A,
 * and B lets its workers go at once instead of competing for them; and when one replica is SIGKILLed mid-load,
 * with work for each target submitted through both, its agent reconnects (through the "load
 * balancer") to the survivor, which resumes the running attempt and finishes the queue: every
 * task ran once.
 */
class MultiReplicaIT {

    static final int LOAD = 40;
    static final Duration CROSS_REPLICA_BOUND = Duration.ofSeconds(3);
    /** Far longer than the bound: a submit that reaches the other replica only by the sweep fails the test. */
    static final Map<String, String> SLOW_SWEEP =
            Map.of("WORKCELL_PLAINTEXT", "enabled", "WORKCELL_LEASE_SWEEP_INTERVAL", "60s");
    /** Replica B would close a silent agent stream only after a minute: here it must let go when told. */
    static final Map<String, String> SLOW_SWEEP_LONG_SILENCE = Map.of(
            "WORKCELL_PLAINTEXT",
            "enabled",
            "WORKCELL_LEASE_SWEEP_INTERVAL",
            "60s",
            "WORKCELL_LIVENESS_SILENCE",
            "60s");
    /** Agent two gives up a silent stream after 3 s. */
    static final Map<String, String> QUICK_TO_RECONNECT =
            Map.of("workcell.agent.heartbeat-interval", "1s", "workcell.agent.silence-timeout", "3s");

    @RegisterExtension
    static final ProcessDatabase DATABASE = new ProcessDatabase();

    /** Submits through the replica on this port; reads go on through replica A. */
    static String submitVia(int port, String target, String script) {
        RestAssured.port = port;
        return submitShell(target, script);
    }

    @Test
    void workSubmittedToOneReplicaRunsAtOnceOnTheOthersAgentAndTheSurvivorCarriesOnAfterOneIsKilledMidLoad()
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Agent one serves phones 0 and 1 on replica A; agent two serves phones 2 and 3 on replica B.
        List<String> phones = List.of("split-a-" + run, "split-b-" + run, "split-c-" + run, "split-d-" + run);
        Path runs = Files.createTempFile("replica-runs", ".txt");
        int portA = ControlPlaneProcess.freePort();
        int portB = ControlPlaneProcess.freePort();
        try (ControlPlaneProcess a = ControlPlaneProcess.start(portA, DATABASE.environment(), SLOW_SWEEP);
                ControlPlaneProcess b =
                        ControlPlaneProcess.start(portB, DATABASE.environment(), SLOW_SWEEP_LONG_SILENCE);
                TcpProxy balancer = new TcpProxy(portB);
                AgentProcess one =
                        AgentProcess.start("replica-host-1-" + run, phones.get(0) + "," + phones.get(1), portA);
                AgentProcess two = AgentProcess.start(
                        "replica-host-2-" + run,
                        phones.get(2) + "," + phones.get(3),
                        balancer.port(),
                        QUICK_TO_RECONNECT)) {
            one.awaitRegistered();
            two.awaitRegistered();
            List<String> acknowledged = new ArrayList<>();
            List<String> expectedRuns = new ArrayList<>();

            long slowest = 0;
            for (int i = 0; i < 3 * phones.size(); i++) {
                int phone = i % phones.size();
                String id = submitVia(phone < 2 ? portB : portA, phones.get(phone), "echo cross-" + i + " >> " + runs);
                long submitted = System.nanoTime();
                RestAssured.port = portA;
                await().atMost(CROSS_REPLICA_BOUND)
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> Set.of("RUNNING", "SUCCEEDED")
                                .contains(Api.action(id).getString("status")));
                slowest = Math.max(slowest, System.nanoTime() - submitted);
                awaitStatus(id, "SUCCEEDED");
                acknowledged.add(id);
                expectedRuns.add("cross-" + i);
            }
            System.out.printf(
                    "submit to RUNNING through the other replica: slowest of %d took %d ms%n",
                    3 * phones.size(), slowest / 1_000_000);

            // By dimensions too: the replica that took the submit has no matching device and tells the other.
            for (int phone : List.of(0, 3)) {
                RestAssured.port = phone < 2 ? portB : portA;
                String id = Api.submit("""
                        {"operation": "EXEC", "dimensions": {"name": "%s"}, "input": {"exec": {"argv": ["sh", "-c", "echo %s >> %s"]}}}""".formatted(phones.get(phone), "by-dimensions-" + phone, runs));
                RestAssured.port = portA;
                await().atMost(CROSS_REPLICA_BOUND)
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> Set.of("RUNNING", "SUCCEEDED")
                                .contains(Api.action(id).getString("status")));
                assertThat(awaitStatus(id, "SUCCEEDED").getString("targetName")).isEqualTo(phones.get(phone));
                acknowledged.add(id);
                expectedRuns.add("by-dimensions-" + phone);
            }

            String doomed = submitVia(portA, phones.get(2), "sleep 60; echo never");
            awaitStatus(doomed, "RUNNING");
            given().post("/api/v1/actions/" + doomed + "/cancel").then().statusCode(200);
            awaitStatus(doomed, Set.of("CANCELLED"), Duration.ofSeconds(20));
            acknowledged.add(doomed);

            // Agent two's network to B stalls (no FIN) and it reconnects, through the balancer, to A while B
            // still holds its old stream: B lets the workers go at once, and they stay live on A.
            String mover = submitVia(portA, phones.get(3), "echo mover >> " + runs + "; sleep 12; echo moved");
            expectedRuns.add("mover");
            awaitStatus(mover, "RUNNING");
            balancer.sendNewConnectionsTo(portA);
            balancer.stallAll();
            two.awaitRegistered(2, Duration.ofSeconds(45));
            b.awaitLog("taken over by an agent connected to another replica", Duration.ofSeconds(10));
            assertThat(workersOfHost(deviceId("replica-host-2-" + run)))
                    .as("agent two's workers, held by A")
                    .isNotEmpty()
                    .allMatch(worker -> worker.get("live").equals(true));
            assertThat(awaitStatus(mover, Set.of("SUCCEEDED"), Duration.ofSeconds(30))
                            .getInt("attempt"))
                    .isEqualTo(1);
            acknowledged.add(mover);
            balancer.retarget(portB);
            two.awaitRegistered(3, Duration.ofSeconds(30));

            String survivor = submitVia(portA, phones.get(2), "echo survivor >> " + runs + "; sleep 10; echo finished");
            expectedRuns.add("survivor");
            RestAssured.port = portA;
            awaitStatus(survivor, "RUNNING");
            List<String> load = new ArrayList<>();
            for (int i = 0; i < LOAD; i++) {
                // Each target's work comes through both replicas.
                load.add(submitVia(
                        i % 2 == 0 ? portA : portB,
                        phones.get(i % phones.size()),
                        "echo task-" + i + " >> " + runs + "; sleep 0.2"));
                expectedRuns.add("task-" + i);
            }
            RestAssured.port = portA;
            awaitStatus(
                    load.get(phones.size() + 3), Set.of("SUCCEEDED"), Duration.ofSeconds(30)); // phone d's second task
            b.kill();
            balancer.retarget(portA);
            two.awaitRegistered(4, Duration.ofSeconds(30));

            JsonPath done = awaitStatus(survivor, Set.of("SUCCEEDED"), Duration.ofSeconds(30));
            for (String id : load) {
                awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(60));
            }

            assertThat(done.getInt("attempt")).isEqualTo(1);
            assertThat(events(survivor))
                    .extracting(event -> event.get("to"))
                    .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
            assertThat(Files.readAllLines(runs))
                    .as("each task ran once")
                    .containsExactlyInAnyOrderElementsOf(expectedRuns);
            acknowledged.add(survivor);
            acknowledged.addAll(load);
            LedgerAudit.of(DATABASE.environment()).assertConsistent(acknowledged);
        }
    }
}
