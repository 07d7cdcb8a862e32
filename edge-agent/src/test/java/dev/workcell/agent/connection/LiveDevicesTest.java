package dev.workcell.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.workcell.agent.connection.FakeControlPlane.Received;
import dev.workcell.agent.device.DeviceDiscovery;
import dev.workcell.agent.device.FakeAdb;
import dev.workcell.agent.testing.LogLines;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.CancelTask;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.DeviceState;
import dev.workcell.proto.v1.DeviceStatus;
import dev.workcell.proto.v1.DevicesChanged;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.OsKind;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import dev.workcell.proto.v1.Welcome;
import dev.workcell.proto.v1.Worker;
import dev.workcell.proto.v1.WorkersChanged;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Devices found by (a fake) adb coming, going and changing state while the agent's stream stays open. */
@QuarkusTest
@TestProfile(FakeAdbProfile.class)
class LiveDevicesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The bound on reporting an attempt whose device went away. */
    private static final Duration DEVICE_LOST_LIMIT = Duration.ofSeconds(10);

    @Inject
    @GrpcService
    FakeControlPlane controlPlane;

    @Inject
    DeviceDiscovery discovery;

    private final FakeAdb adb = FakeAdb.in(FakeAdbProfile.ADB_DIR);
    private int stream;

    /** Starts each test on a fresh stream, with the Pixel and the emulator plugged. */
    @BeforeEach
    void plugThePixelAndTheEmulator() {
        adb.plug(FakeAdb.PIXEL, FakeAdb.EMULATOR);
        await("discovery finds the Pixel and the emulator")
                .atMost(WAIT)
                .until(() -> serials(discovery.current().targets()), equalTo(List.of(FakeAdb.PIXEL, FakeAdb.EMULATOR)));
    }

    @Test
    void introducesThePhonesAdbFindsInsteadOfTheHost() throws Exception {
        Hello hello = newStream();

        assertThat(hello.getHost().getSerial()).isEqualTo(FakeControlPlaneProfile.HOST_NAME);
        assertThat(serials(devices(hello))).isEqualTo(List.of(FakeAdb.PIXEL, FakeAdb.EMULATOR));
        Device pixel = devices(hello).get(0);
        assertThat(pixel.getName()).isEqualTo("Pixel 8");
        assertThat(pixel.getOs().getKind()).isEqualTo(OsKind.ANDROID);
        assertThat(pixel.getOs().getApiLevel()).isEqualTo(34);
        assertThat(pixel.getHardware().getAbisList()).isEqualTo(List.of("arm64-v8a"));
        assertThat(pixel.getLabelsOrThrow("gpu")).isEqualTo("mali");
        assertThat(hello.getTargets(0).getOperationsList()).isEqualTo(List.of(Operation.EXEC));
    }

    @Test
    void announcesAPhoneThatLeavesAndComesBackOnTheSameStreamWithTheSameIdentity() throws Exception {
        Device pixel = devices(newStream()).get(0);
        welcome();

        adb.plug(FakeAdb.EMULATOR);
        assertThat(awaitDevicesChanged())
                .isEqualTo(DevicesChanged.newBuilder().addRemoved(FakeAdb.PIXEL).build());
        controlPlane.send(ControlMessage.newBuilder()
                .setWorkers(WorkersChanged.newBuilder().addRemoved("w-pixel"))
                .build());

        adb.plug(FakeAdb.EMULATOR, FakeAdb.PIXEL);
        DevicesChanged back = awaitDevicesChanged();
        assertThat(back.getAddedList().stream()
                        .map(target -> target.getDevice())
                        .toList())
                .isEqualTo(List.of(pixel));
        assertThat(back.getRemovedList()).isEqualTo(List.of());
        assertThat(controlPlane.streams()).as("the agent reconnected").isEqualTo(stream);
        controlPlane.send(ControlMessage.newBuilder()
                .setWorkers(
                        WorkersChanged.newBuilder().addAdded(Worker.newBuilder().setId("w-pixel")))
                .build());
    }

    @Test
    void reportsEachDevicesStateAndHealthWithTheHeartbeats() throws Exception {
        newStream();
        welcome();

        adb.plug(FakeAdb.PIXEL, FakeAdb.EMULATOR, FakeAdb.UNAUTHORIZED);
        Device unauthorized = awaitDevicesChanged().getAdded(0).getDevice();
        assertThat(unauthorized.getSerial()).isEqualTo(FakeAdb.UNAUTHORIZED);
        assertThat(unauthorized.getOs().getKind()).isEqualTo(OsKind.ANDROID);
        awaitHeartbeat(Map.of(
                FakeAdb.PIXEL, status(FakeAdb.PIXEL, DeviceState.ONLINE, "ok"),
                FakeAdb.EMULATOR, status(FakeAdb.EMULATOR, DeviceState.ONLINE, "ok"),
                FakeAdb.UNAUTHORIZED, status(FakeAdb.UNAUTHORIZED, DeviceState.OFFLINE, "adb: unauthorized")));

        controlPlane.send(task("busy-emulator", FakeAdb.EMULATOR, "sleep", "30"));
        awaitUpdate("busy-emulator", ActionStatus.RUNNING);
        awaitHeartbeat(Map.of(
                FakeAdb.PIXEL, status(FakeAdb.PIXEL, DeviceState.ONLINE, "ok"),
                FakeAdb.EMULATOR, status(FakeAdb.EMULATOR, DeviceState.BUSY, "ok"),
                FakeAdb.UNAUTHORIZED, status(FakeAdb.UNAUTHORIZED, DeviceState.OFFLINE, "adb: unauthorized")));

        controlPlane.send(ControlMessage.newBuilder()
                .setCancel(CancelTask.newBuilder().setActionId("busy-emulator").setAttempt(1))
                .build());
        acknowledge(awaitUpdate("busy-emulator", ActionStatus.CANCELLED));
    }

    @Test
    void failsATaskWithDeviceLostSoonAfterItsPhoneIsUnplugged() throws Exception {
        newStream();
        welcome();
        controlPlane.send(task("long-trace", FakeAdb.PIXEL, "sh", "-c", "sleep 97 & sleep 97; wait"));
        awaitUpdate("long-trace", ActionStatus.RUNNING);
        List<ProcessHandle> sleeps = awaitSleeps("97", 2);

        long unplugged = System.nanoTime();
        adb.plug(FakeAdb.EMULATOR);

        TaskUpdate lost = awaitUpdate("long-trace", ActionStatus.FAILED);
        Duration took = Duration.ofNanos(System.nanoTime() - unplugged);
        assertThat(took.compareTo(DEVICE_LOST_LIMIT) < 0)
                .as("DEVICE_LOST took " + took)
                .isTrue();
        assertThat(lost.getFailure()).isEqualTo(FailureClass.DEVICE_LOST);
        // The scan that notices may catch the phone already gone from "adb devices", or still listed but
        // failing get-state: both are the same loss, named either way.
        assertThat(lost.getError()
                                .equals("lost device " + FakeAdb.PIXEL
                                        + " (Pixel 8) during the attempt: it is no longer attached")
                        || lost.getError()
                                .startsWith("lost device " + FakeAdb.PIXEL
                                        + " (Pixel 8) during the attempt: it is offline: adb get-state:"))
                .as(lost.getError())
                .isTrue();
        assertThat(sleeps.stream().filter(LiveDevicesTest::running).toList())
                .as("processes left running")
                .isEqualTo(List.of());
        acknowledge(lost);
    }

    /** As after "adb kill-server": the restarted adb lists the phone offline once while it reconnects to it. */
    @Test
    void keepsATaskRunningWhenAdbListsItsPhoneOfflineForOneScan() throws Exception {
        Path go = Files.createTempFile("go-", ".flag");
        Files.delete(go);
        newStream();
        welcome();
        try (LogLines log = LogLines.of("dev.workcell.agent")) {
            controlPlane.send(task(
                    "through-restart",
                    FakeAdb.PIXEL,
                    "sh",
                    "-c",
                    "while [ ! -e " + go + " ]; do sleep 0.1; done; echo done"));
            awaitUpdate("through-restart", ActionStatus.RUNNING);

            adb.listOfflineOnce(FakeAdb.PIXEL);
            await().atMost(WAIT)
                    .until(() -> !log.containing("Android device " + FakeAdb.PIXEL + " is ready again")
                            .isEmpty());
            Files.writeString(go, "");

            TaskUpdate done = awaitUpdate("through-restart", ActionStatus.SUCCEEDED);
            assertThat(done.getOutput().getStdoutTail()).isEqualTo("done\n");
            assertThat(log.containing("is not ready"))
                    .isEqualTo(List.of("INFO Android device " + FakeAdb.PIXEL
                            + " is not ready (adb: offline); it counts as lost only if it" + " stays so for PT3S"));
            acknowledge(done);
        }
    }

    /** Cuts the current stream, if any, and returns the Hello of the agent's next one. */
    private Hello newStream() throws InterruptedException {
        int before = controlPlane.streams();
        if (before > 0) {
            controlPlane.cut();
        }
        Received hello = controlPlane.await(
                received -> received.stream() > before && received.message().hasHello(), WAIT);
        stream = hello.stream();
        return hello.message().getHello();
    }

    private void welcome() {
        controlPlane.send(ControlMessage.newBuilder()
                .setWelcome(Welcome.getDefaultInstance())
                .build());
    }

    private DevicesChanged awaitDevicesChanged() throws InterruptedException {
        return controlPlane
                .await(received -> onThisStream(received) && received.message().hasDevices(), WAIT)
                .message()
                .getDevices();
    }

    private void awaitHeartbeat(Map<String, DeviceStatus> expected) throws InterruptedException {
        controlPlane.await(
                received -> onThisStream(received)
                        && received.message().hasHeartbeat()
                        && received.message().getHeartbeat().getDevicesList().stream()
                                .collect(Collectors.toMap(DeviceStatus::getSerial, Function.identity()))
                                .equals(expected),
                WAIT);
    }

    private TaskUpdate awaitUpdate(String actionId, ActionStatus status) throws InterruptedException {
        return controlPlane
                .await(
                        received -> onThisStream(received)
                                && received.message().getKindCase() == AgentMessage.KindCase.UPDATE
                                && received.message().getUpdate().getActionId().equals(actionId)
                                && received.message().getUpdate().getStatus() == status,
                        WAIT)
                .message()
                .getUpdate();
    }

    private void acknowledge(TaskUpdate update) {
        controlPlane.send(ControlMessage.newBuilder()
                .setAck(UpdateAck.newBuilder()
                        .setActionId(update.getActionId())
                        .setAttempt(update.getAttempt())
                        .setStatus(update.getStatus())
                        .setAccepted(true))
                .build());
    }

    private boolean onThisStream(Received received) {
        return received.stream() == stream;
    }

    /** The agent's "sleep SECONDS" processes, once there are as many as expected. */
    private static List<ProcessHandle> awaitSleeps(String seconds, int count) {
        return await(count + " sleep " + seconds + " processes")
                .atMost(WAIT)
                .until(
                        () -> ProcessHandle.current()
                                .descendants()
                                .filter(process ->
                                        process.info().command().orElse("").endsWith("/sleep"))
                                .filter(process -> List.of(
                                                process.info().arguments().orElse(new String[0]))
                                        .equals(List.of(seconds)))
                                .toList(),
                        sleeps -> sleeps.size() == count);
    }

    /** Alive and not a zombie (an orphan's zombie may wait a while for its new parent). */
    private static boolean running(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return process.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    private static ControlMessage task(String actionId, String serial, String... argv) {
        return ControlMessage.newBuilder()
                .setTask(Task.newBuilder()
                        .setActionId(actionId)
                        .setAttempt(1)
                        .setOperation(Operation.EXEC)
                        .setInput(ActionInput.newBuilder()
                                .setExec(ExecInput.newBuilder().addAllArgv(List.of(argv))))
                        .setWorkerId("w-" + serial)
                        .setTargetId("t-" + serial)
                        .setTargetSerial(serial))
                .build();
    }

    private static DeviceStatus status(String serial, DeviceState state, String health) {
        return DeviceStatus.newBuilder()
                .setSerial(serial)
                .setState(state)
                .setHealth(health)
                .build();
    }

    private static List<Device> devices(Hello hello) {
        return hello.getTargetsList().stream().map(target -> target.getDevice()).toList();
    }

    private static List<String> serials(List<Device> devices) {
        return devices.stream().map(Device::getSerial).toList();
    }
}
