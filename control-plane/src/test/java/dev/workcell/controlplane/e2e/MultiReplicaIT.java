package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.PostgresResource;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two control-plane replicas on one PostgreSQL: work submitted to one reaches the agents connected
 * to the other at once, cancels cross over too, and when that replica is SIGKILLed mid-load its
 * agents reconnect (through the "load balancer") to the survivor, which resumes the running
 * attempts and finishes the queue: every task ran once.
 */
class MultiReplicaIT {

    static final int LOAD = 40;

    static final PostgresResource POSTGRES = new PostgresResource();
    static Map<String, String> database;

    @BeforeAll
    static void database() {
        database = POSTGRES.startForProcesses();
    }

    @AfterAll
    static void stopDatabase() {
        POSTGRES.stop();
    }

    @Test
    void twoReplicasShareTheWorkAndTheSurvivorCarriesOnAfterOneIsKilledMidLoad() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> phones = List.of("shared-a-" + run, "shared-b-" + run, "shared-c-" + run, "shared-d-" + run);
        Path runs = Files.createTempFile("replica-runs", ".txt");
        int portA = ControlPlaneProcess.freePort();
        int portB = ControlPlaneProcess.freePort();
        try (ControlPlaneProcess a = ControlPlaneProcess.start(portA, database);
             ControlPlaneProcess b = ControlPlaneProcess.start(portB, database);
             TcpProxy balancer = new TcpProxy(portB);
             AgentProcess one = AgentProcess.start("replica-host-1-" + run, phones.get(0) + "," + phones.get(1), balancer.port());
             AgentProcess two = AgentProcess.start("replica-host-2-" + run, phones.get(2) + "," + phones.get(3), balancer.port())) {
            one.awaitRegistered();
            two.awaitRegistered();
            RestAssured.port = portA;

            String quick = submitShell(phones.get(0), "echo via replica A");
            assertThat(awaitStatus(quick, "SUCCEEDED").getString("output.stdoutTail")).contains("via replica A");

            String doomed = submitShell(phones.get(1), "sleep 60; echo never");
            awaitStatus(doomed, "RUNNING");
            given().post("/api/v1/actions/" + doomed + "/cancel").then().statusCode(200);
            awaitStatus(doomed, Set.of("CANCELLED"), Duration.ofSeconds(20));

            String survivor = submitShell(phones.get(0), "echo survivor >> " + runs + "; sleep 4; echo finished");
            List<String> load = new ArrayList<>();
            for (int i = 0; i < LOAD; i++) {
                load.add(submitShell(phones.get(i % phones.size()), "echo task-" + i + " >> " + runs + "; sleep 0.2"));
            }
            awaitStatus(survivor, "RUNNING");
            awaitStatus(load.get(phones.size() + 1), Set.of("SUCCEEDED"), Duration.ofSeconds(30)); // phone b's second task
            b.kill();
            balancer.retarget(portA);
            one.awaitRegistered(2, Duration.ofSeconds(30));
            two.awaitRegistered(2, Duration.ofSeconds(30));

            JsonPath done = awaitStatus(survivor, Set.of("SUCCEEDED"), Duration.ofSeconds(30));
            for (String id : load) {
                awaitStatus(id, Set.of("SUCCEEDED"), Duration.ofSeconds(60));
            }

            assertThat(done.getInt("attempt")).isEqualTo(1);
            assertThat(events(survivor)).extracting(event -> event.get("to"))
                    .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
            List<String> expectedRuns = new ArrayList<>(List.of("survivor"));
            for (int i = 0; i < LOAD; i++) {
                expectedRuns.add("task-" + i);
            }
            assertThat(Files.readAllLines(runs)).as("each task ran once").containsExactlyInAnyOrderElementsOf(expectedRuns);
            List<String> acknowledged = new ArrayList<>(List.of(quick, doomed, survivor));
            acknowledged.addAll(load);
            LedgerAudit.of(database).assertConsistent(acknowledged);
        }
    }
}
