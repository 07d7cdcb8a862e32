package dev.workcell.agent.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.agent.artifact.ArtifactDownloader;
import dev.workcell.agent.artifact.InputArtifacts;
import dev.workcell.agent.artifact.OutputStash;
import dev.workcell.agent.device.AgentDevices;
import dev.workcell.agent.device.DevicesScanned;
import dev.workcell.agent.device.ObservedDevice;
import dev.workcell.agent.log.LiveLogs;
import dev.workcell.agent.log.RecordingSink;
import dev.workcell.agent.outbox.Outbox;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.DeviceState;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.TaskUpdate;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LostDevicesTest {

    /** Longer than the whole test may take: a lost device's attempt must not wait for it. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(30);

    private static final Device HOST =
            Device.newBuilder().setSerial("bench").setName("bench").build();
    private static final Device PIXEL =
            Device.newBuilder().setSerial("3A041FDJH0038N").setName("Pixel 8").build();
    private static final AgentDevices PIXEL_ONLINE =
            new AgentDevices(HOST, List.of(new ObservedDevice(PIXEL, DeviceState.ONLINE, "ok")));

    @TempDir
    Path root;

    private final BlockingQueue<TaskUpdate> reported = new LinkedBlockingQueue<>();
    private final HeldAttempts held = new HeldAttempts();
    private final LostDevices lostDevices = new LostDevices(held);
    private final LiveLogs liveLogs = new LiveLogs(new RecordingSink(), 64);
    private TaskRunner runner;
    private Outbox outbox;
    private ManagedChannel unusedControlPlane;

    @BeforeEach
    void startRunner() throws Exception {
        outbox = Outbox.open(root.resolve("outbox"));
        unusedControlPlane =
                ManagedChannelBuilder.forAddress("localhost", 1).usePlaintext().build();
        TaskRecords records = Runners.records();
        ProcessRunner processes = Runners.processes(8192, KILL_GRACE, liveLogs, records);
        runner = new TaskRunner(
                List.of(new ExecExecutor(processes, Duration.ofHours(1), List.of())),
                held,
                new WorkDirs(root.resolve("work"), false),
                records,
                new InputArtifacts(new ArtifactDownloader(unusedControlPlane)),
                new OutputStash(outbox, Map.of()),
                4);
    }

    @AfterEach
    void stopRunner() throws Exception {
        runner.shutdown(Duration.ofSeconds(5));
        liveLogs.close();
        outbox.close();
        unusedControlPlane.shutdownNow();
    }

    @Test
    void killsAnAttemptWhoseDeviceWentOfflineAndReportsDeviceLost() throws Exception {
        runner.start(
                Tasks.exec("trace", PIXEL.getSerial(), "sh", "-c", "trap '' TERM; sleep 96 & sleep 96; wait"),
                reported::add);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);
        List<ProcessHandle> tree = awaitTree();

        long lost = System.nanoTime();
        lostDevices.scanned(new DevicesScanned(
                PIXEL_ONLINE,
                new AgentDevices(HOST, List.of(new ObservedDevice(PIXEL, DeviceState.OFFLINE, "adb: offline")))));

        TaskUpdate failed = next();
        assertThat(Duration.ofNanos(System.nanoTime() - lost).compareTo(Duration.ofSeconds(5)) < 0)
                .as("it waited for the kill grace")
                .isTrue();
        assertThat(failed.getStatus()).isEqualTo(ActionStatus.FAILED);
        assertThat(failed.getFailure()).isEqualTo(FailureClass.DEVICE_LOST);
        assertThat(failed.getError())
                .isEqualTo("lost device 3A041FDJH0038N (Pixel 8) during the attempt: it is offline: adb: offline");
        ProcessTrees.assertAllGone(tree);
    }

    @Test
    void namesAVanishedDeviceByItsLastKnownName() throws Exception {
        runner.start(Tasks.exec("replay", PIXEL.getSerial(), "sleep", "96"), reported::add);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);

        lostDevices.scanned(new DevicesScanned(PIXEL_ONLINE, new AgentDevices(HOST, List.of())));

        assertThat(next().getError())
                .isEqualTo("lost device 3A041FDJH0038N (Pixel 8) during the attempt: it is no longer attached");
    }

    @Test
    void leavesAttemptsOnOnlineDevicesAndOnTheHostAlone() throws Exception {
        runner.start(Tasks.exec("on-pixel", PIXEL.getSerial(), "sleep", "96"), reported::add);
        runner.start(Tasks.exec("on-host", HOST.getSerial(), "sleep", "96"), reported::add);
        next();
        next();

        lostDevices.scanned(new DevicesScanned(PIXEL_ONLINE, PIXEL_ONLINE));

        assertThat(reported.poll(500, TimeUnit.MILLISECONDS)).isNull();
        runner.cancel(new AttemptKey("on-pixel", 1));
        runner.cancel(new AttemptKey("on-host", 1));
        assertThat(next().getStatus()).isEqualTo(ActionStatus.CANCELLED);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.CANCELLED);
    }

    @Test
    void reportsACancelledAttemptAsCancelledEvenIfItsDeviceGoesToo() throws Exception {
        runner.start(Tasks.exec("both", PIXEL.getSerial(), "sleep", "96"), reported::add);
        assertThat(next().getStatus()).isEqualTo(ActionStatus.RUNNING);

        runner.cancel(new AttemptKey("both", 1));
        lostDevices.scanned(new DevicesScanned(PIXEL_ONLINE, new AgentDevices(HOST, List.of())));

        TaskUpdate cancelled = next();
        assertThat(cancelled.getStatus()).isEqualTo(ActionStatus.CANCELLED);
        assertThat(cancelled.getError()).isEqualTo(Outcome.CANCELLED_BY_REQUEST);
    }

    /** The attempt's shell and its two sleeps, once all three run. */
    private static List<ProcessHandle> awaitTree() {
        return await("the attempt's shell and its two sleeps")
                .atMost(Duration.ofSeconds(5))
                .until(
                        () -> ProcessHandle.current()
                                .descendants()
                                .filter(process ->
                                        process.info().commandLine().orElse("").contains("sleep 96"))
                                .toList(),
                        tree -> tree.size() == 3);
    }

    private TaskUpdate next() throws InterruptedException {
        TaskUpdate update = reported.poll(10, TimeUnit.SECONDS);
        assertThat(update).as("no update within 10 s").isNotNull();
        return update;
    }
}
