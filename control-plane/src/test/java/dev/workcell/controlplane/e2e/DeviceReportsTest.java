package dev.workcell.controlplane.e2e;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.DeviceState;
import dev.workcell.proto.v1.DeviceStatus;
import dev.workcell.proto.v1.DevicesChanged;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Heartbeat;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.WorkersChanged;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Devices that come and go on an open agent stream, and the state agents report for them. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DeviceReportsTest {

    @GrpcClient("agents")
    AgentService agents;

    static AgentMessage added(String serial) {
        return AgentMessage.newBuilder()
                .setDevices(DevicesChanged.newBuilder()
                        .addAdded(TargetDevice.newBuilder()
                                .setDevice(Device.newBuilder().setSerial(serial).setName(serial))
                                .addOperations(Operation.EXEC)))
                .build();
    }

    static AgentMessage removed(String serial) {
        return AgentMessage.newBuilder()
                .setDevices(DevicesChanged.newBuilder().addRemoved(serial))
                .build();
    }

    static AgentMessage heartbeat(String serial, DeviceState state, String health) {
        return AgentMessage.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder()
                        .addDevices(DeviceStatus.newBuilder()
                                .setSerial(serial)
                                .setState(state)
                                .setHealth(health)))
                .build();
    }

    static JsonPath worker(String workerId) {
        return new JsonPath(given().get("/api/v1/workers")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .setRootPath("workers.find { it.id == '" + workerId + "' }");
    }

    @Test
    void aDeviceThatAppearsOnAnOpenStreamGetsWorkWithoutAReconnect() {
        String phone = unique("plugged-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("plug-host"), unique("plug-base"));

            agent.send(added(phone));
            WorkersChanged changed = agent.next(ControlMessage::hasWorkers).getWorkers();
            String id = submitShell(phone, "echo on the new phone");

            assertThat(changed.getAddedList()).hasSize(1);
            Task task = agent.next(ControlMessage::hasTask).getTask();
            assertThat(task.getActionId()).isEqualTo(id);
            assertThat(task.getTargetSerial()).isEqualTo(phone);
            assertThat(task.getWorkerId()).isEqualTo(changed.getAdded(0).getId());
        }
    }

    @Test
    void aDeviceThatLeftTakesNoWorkAndComesBackWithTheSameWorker() {
        String phone = unique("unplugged-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String workerId =
                    agent.register(unique("unplug-host"), phone).getWorkers(0).getId();
            String control = controlDevice(agent);

            agent.send(removed(phone));
            assertThat(agent.next(ControlMessage::hasWorkers).getWorkers().getRemovedList())
                    .containsExactly(workerId);
            assertThat(worker(workerId).getBoolean("live")).isFalse();
            String id = submitShell(phone, "echo waits for the phone");
            nextTaskIsFor(agent, control);

            Instant back = Instant.now();
            agent.send(added(phone));
            assertThat(agent.next(ControlMessage::hasWorkers)
                            .getWorkers()
                            .getAdded(0)
                            .getId())
                    .isEqualTo(workerId);
            assertThat(agent.next(ControlMessage::hasTask).getTask().getActionId())
                    .isEqualTo(id);
            assertThat(dispatchedAt(id))
                    .as("when the phone's action was dispatched")
                    .isAfterOrEqualTo(back);
        }
    }

    @Test
    void anOfflineDeviceTakesNoWorkUntilItIsOnlineAgainAndItsStateIsShown() {
        String phone = unique("flaky-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            String workerId =
                    agent.register(unique("flaky-host"), phone).getWorkers(0).getId();
            String control = controlDevice(agent);

            agent.send(heartbeat(phone, DeviceState.OFFLINE, "adb: device unauthorized"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "OFFLINE".equals(worker(workerId).getString("state")));
            assertThat(worker(workerId).getString("health")).isEqualTo("adb: device unauthorized");
            String id = submitShell(phone, "echo after authorizing");
            nextTaskIsFor(agent, control);

            Instant online = Instant.now();
            agent.send(heartbeat(phone, DeviceState.ONLINE, "ok"));
            assertThat(agent.next(ControlMessage::hasTask).getTask().getActionId())
                    .isEqualTo(id);
            assertThat(dispatchedAt(id))
                    .as("when the phone's action was dispatched")
                    .isAfterOrEqualTo(online);
        }
    }

    /** A second device on the agent's stream, always online: a dispatcher that runs gives it its work. */
    private static String controlDevice(FakeAgent agent) {
        String control = unique("control-phone");
        agent.send(added(control));
        assertThat(agent.next(ControlMessage::hasWorkers).getWorkers().getAddedList())
                .hasSize(1);
        return control;
    }

    /**
     * Submits to the control device and expects its task as the next one on the stream: the
     * dispatcher ran after what was submitted before and passed it over (positive evidence, where a
     * pause would only show that nothing had happened yet).
     */
    private static void nextTaskIsFor(FakeAgent agent, String control) {
        String id = submitShell(control, "echo " + unique("control"));
        assertThat(agent.next(ControlMessage::hasTask).getTask().getActionId())
                .as("the next task on the stream")
                .isEqualTo(id);
    }

    /** When the action was first dispatched, from its history. */
    private static Instant dispatchedAt(String id) {
        return Api.events(id).stream()
                .filter(event -> "DISPATCHED".equals(event.get("to")))
                .map(event -> Instant.parse((String) event.get("at")))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anAttemptWhoseDeviceWentOfflineIsRetriedWhenTheDeviceIsBack() {
        String phone = unique("lost-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("lost-host"), phone);
            String id = submitShell(phone, "sleep 60");
            agent.next(ControlMessage::hasTask);
            agent.send(FakeAgent.update(id, 1, ActionStatus.RUNNING));

            agent.send(removed(phone));
            agent.send(TaskUpdate.newBuilder()
                    .setActionId(id)
                    .setAttempt(1)
                    .setStatus(ActionStatus.FAILED)
                    .setFailure(FailureClass.DEVICE_LOST)
                    .setError("device " + phone + " went offline")
                    .build());
            JsonPath queued = awaitStatus(id, "QUEUED");
            assertThat(queued.getInt("attempt")).isEqualTo(2);
            assertThat(queued.getString("failure")).isEqualTo("DEVICE_LOST");

            agent.send(added(phone));
            Task retry = agent.next(ControlMessage::hasTask).getTask();
            assertThat(retry.getActionId()).isEqualTo(id);
            assertThat(retry.getAttempt()).isEqualTo(2);
        }
    }
}
