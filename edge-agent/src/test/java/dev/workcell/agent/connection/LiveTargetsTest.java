package dev.workcell.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.DevicesChanged;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.Worker;
import dev.workcell.proto.v1.WorkersChanged;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiveTargetsTest {

    private static final TargetDevice PIXEL = target("3A041FDJH0038N", "Pixel 8");
    private static final TargetDevice EMULATOR = target("emulator-5554", "sdk_gphone64_x86_64");

    private final LiveTargets targets = new LiveTargets(List.of(PIXEL));

    @Test
    void announcesNothingWhenNothingChanged() {
        assertThat(targets.update(List.of(PIXEL))).isEqualTo(Optional.empty());
    }

    @Test
    void announcesDevicesThatCameAndWentOnce() {
        assertThat(targets.update(List.of(EMULATOR)))
                .isEqualTo(Optional.of(DevicesChanged.newBuilder()
                        .addAdded(EMULATOR)
                        .addRemoved(PIXEL.getDevice().getSerial())
                        .build()));
        assertThat(targets.update(List.of(EMULATOR))).isEqualTo(Optional.empty());
    }

    @Test
    void announcesADeviceWhoseDescriptionChangedAgain() {
        TargetDevice authorized = target(PIXEL.getDevice().getSerial(), "Pixel 8 Pro");

        assertThat(targets.update(List.of(authorized)))
                .isEqualTo(Optional.of(
                        DevicesChanged.newBuilder().addAdded(authorized).build()));
    }

    @Test
    void namesTheWorkersOfEachAnswerByTheSerialsItAnswers() {
        targets.update(List.of(PIXEL, EMULATOR));
        targets.update(List.of());

        assertThat(targets.answered(workers("w-2"))).isEqualTo(List.of("w-2 (emulator-5554)"));
        assertThat(targets.answered(workers())).isEqualTo(List.of());
    }

    private static WorkersChanged workers(String... ids) {
        WorkersChanged.Builder workers = WorkersChanged.newBuilder();
        for (String id : ids) {
            workers.addAdded(Worker.newBuilder().setId(id));
        }
        return workers.build();
    }

    private static TargetDevice target(String serial, String name) {
        return TargetDevice.newBuilder()
                .setDevice(Device.newBuilder().setSerial(serial).setName(name))
                .addOperations(Operation.EXEC)
                .build();
    }
}
