package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.ControlPlaneProcess;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TcpProxy;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two control-plane replicas on one PostgreSQL: work submitted to one reaches the agent connected
 * to the other at once, cancels cross over too, and when a replica is SIGKILLed its agent
 * reconnects (through the "load balancer") to the survivor, which resumes the running attempt.
 */
class MultiReplicaIT {

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
    void twoReplicasShareTheWorkAndTheSurvivorResumesAfterOneIsKilled() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String phone = "shared-phone-" + run;
        Path runs = Files.createTempFile("replica-runs", ".txt");
        int portA = ControlPlaneProcess.freePort();
        int portB = ControlPlaneProcess.freePort();
        try (ControlPlaneProcess a = ControlPlaneProcess.start(portA, database);
             ControlPlaneProcess b = ControlPlaneProcess.start(portB, database);
             TcpProxy balancer = new TcpProxy(portB);
             AgentProcess agent = AgentProcess.start("replica-host-" + run, phone, balancer.port()).awaitRegistered()) {
            RestAssured.port = portA;

            String quick = submitShell(phone, "echo via replica A");
            assertThat(awaitStatus(quick, "SUCCEEDED").getString("output.stdoutTail")).contains("via replica A");

            String doomed = submitShell(phone, "sleep 60; echo never");
            awaitStatus(doomed, "RUNNING");
            given().post("/api/v1/actions/" + doomed + "/cancel").then().statusCode(200);
            awaitStatus(doomed, Set.of("CANCELLED"), Duration.ofSeconds(20));

            String survivor = submitShell(phone, "echo run >> " + runs + "; sleep 4; echo finished");
            awaitStatus(survivor, "RUNNING");
            b.kill();
            balancer.retarget(portA);
            agent.awaitRegistered(2, Duration.ofSeconds(30));
            JsonPath done = awaitStatus(survivor, Set.of("SUCCEEDED"), Duration.ofSeconds(30));

            assertThat(done.getInt("attempt")).isEqualTo(1);
            assertThat(Files.readAllLines(runs)).containsExactly("run");
            assertThat(events(survivor)).extracting(event -> event.get("to"))
                    .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
        }
    }
}
