package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.LedgerAudit;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TcpProxy;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.TaskUpdateBatch;
import dev.workcell.proto.v1.UpdateAck;
import dev.workcell.proto.v1.Welcome;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Task updates sent several in one message: each acknowledged on its own, and safe across an agent killed right after sending them. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BatchedReportsTest {

    @GrpcClient("agents")
    AgentService agents;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void eachUpdateOfABatchIsAcknowledgedOnItsOwnAndARefusedOneDoesNotFailItsNeighbours() {
        String host = unique("batch-report-host");
        String first = unique("batch-report-a");
        String second = unique("batch-report-b");
        try (FakeAgent agent = new FakeAgent(agents)) {
            Welcome welcome = agent.send(Hello.newBuilder()
                            .setHost(Device.newBuilder().setName(host).setSerial(host))
                            .addTargets(target(first))
                            .addTargets(target(second))
                            .setAgentVersion("fake")
                            .build())
                    .next(ControlMessage::hasWelcome)
                    .getWelcome();
            String a = submitShell(first, "true");
            String b = submitShell(second, "true");
            List<String> tasks = List.of(
                    agent.next(ControlMessage::hasTask).getTask().getActionId(),
                    agent.next(ControlMessage::hasTask).getTask().getActionId());
            assertThat(tasks).containsExactlyInAnyOrder(a, b);

            agent.send(AgentMessage.newBuilder()
                    .setUpdateBatch(TaskUpdateBatch.newBuilder()
                            .addUpdates(update(a, 1, ActionStatus.RUNNING))
                            .addUpdates(update(b, 2, ActionStatus.SUCCEEDED))
                            .addUpdates(update(a, 1, ActionStatus.SUCCEEDED))
                            .addUpdates(update(b, 1, ActionStatus.SUCCEEDED)))
                    .build());
            List<UpdateAck> acks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                acks.add(agent.next(ControlMessage::hasAck).getAck());
            }

            assertThat(welcome.getAcceptsUpdateBatches()).isTrue();
            assertThat(acks)
                    .filteredOn(ack -> ack.getActionId().equals(a))
                    .extracting(UpdateAck::getStatus, UpdateAck::getAccepted)
                    .as("one action's updates applied in the order sent")
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(ActionStatus.RUNNING, true),
                            org.assertj.core.groups.Tuple.tuple(ActionStatus.SUCCEEDED, true));
            assertThat(acks)
                    .filteredOn(ack -> ack.getActionId().equals(b))
                    .extracting(UpdateAck::getAttempt, UpdateAck::getAccepted)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(2, false),
                            org.assertj.core.groups.Tuple.tuple(1, true));
            assertThat(awaitStatus(a, "SUCCEEDED").getInt("attempt")).isEqualTo(1);
            assertThat(awaitStatus(b, "SUCCEEDED").getInt("attempt")).isEqualTo(1);
            assertThat(events(a))
                    .extracting(event -> event.get("to"))
                    .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
            LedgerAudit.ofRunningApp().assertConsistent(List.of(a, b));
        }
    }

    @Test
    void anAgentKilledJustAfterSendingResultsInOneMessageSendsThemAgainAndEachCountsOnce() throws Exception {
        String host = unique("batch-kill-host");
        List<String> targets =
                IntStream.range(0, 6).mapToObj(i -> host + "-phone-" + i).toList();
        Path go = Files.createTempDirectory("batch-kill").resolve("GO");
        Map<String, String> debug = Map.of("quarkus.log.category.\"dev.workcell.agent.connection\".level", "DEBUG");
        List<String> ids = new ArrayList<>();
        try (TcpProxy proxy = new TcpProxy(port);
                AgentProcess doomed = AgentProcess.start(host, String.join(",", targets), proxy.port(), debug)
                        .awaitRegistered()) {
            for (String target : targets) {
                ids.add(submitShell(target, "while [ ! -e " + go + " ]; do sleep 0.05; done; echo done"));
            }
            ids.forEach(id -> awaitStatus(id, "RUNNING"));

            proxy.goDown();
            Files.createFile(go);
            await().atMost(Duration.ofSeconds(30)).until(() -> doomed.count("ended SUCCEEDED") == targets.size());
            proxy.comeBack();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> doomed.count("sent " + targets.size() + " final updates in one message") > 0);
            doomed.kill();
        }
        try (AgentProcess again =
                AgentProcess.start(host, String.join(",", targets), port).awaitRegistered()) {
            for (String id : ids) {
                assertThat(awaitStatus(id, "SUCCEEDED").getInt("attempt"))
                        .as(id)
                        .isEqualTo(1);
                assertThat(events(id))
                        .extracting(event -> event.get("to"))
                        .as(id)
                        .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> outboxEntries(host) == 0);
            LedgerAudit.ofRunningApp().assertConsistent(ids);
        }
    }

    /** The results in the host's outbox (its entries are numbered directories). */
    private static long outboxEntries(String host) throws Exception {
        Path outbox = AgentProcess.workDir(host).resolve("outbox").resolve(host);
        try (var entries = Files.list(outbox)) {
            return entries.filter(entry -> entry.getFileName().toString().matches("\\d{12}"))
                    .count();
        }
    }

    private static TargetDevice target(String serial) {
        return TargetDevice.newBuilder()
                .setDevice(Device.newBuilder().setName(serial).setSerial(serial))
                .addOperations(Operation.EXEC)
                .build();
    }
}
