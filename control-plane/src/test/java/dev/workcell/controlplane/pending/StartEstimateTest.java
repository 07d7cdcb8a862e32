package dev.workcell.controlplane.pending;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.pending.DeviceStates.DeviceState;
import dev.workcell.controlplane.pending.DeviceStates.Running;
import dev.workcell.controlplane.pending.DeviceStates.Work;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Operation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StartEstimateTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private static DeviceState free(String id) {
        return new DeviceState(id, id, new TreeMap<>(), true, true, false, true, true, Optional.empty());
    }

    private static DeviceState busySince(String id, Instant since) {
        return new DeviceState(
                id,
                id,
                new TreeMap<>(),
                true,
                true,
                false,
                true,
                true,
                Optional.of(new Running(
                        "a".repeat(40), Operation.EXEC, ActionStatus.RUNNING, since.atOffset(ZoneOffset.UTC))));
    }

    @Test
    void theActionsAheadTakeTheDeviceFreeFirstInTurnAndTheActionStartsWhenTheNextOneIsFree() {
        List<DeviceState> usable = List.of(busySince("a", NOW.minusSeconds(10)), free("b"));
        Map<Work, Duration> durations = Map.of(
                new Work("a", Operation.EXEC), Duration.ofSeconds(60),
                new Work("b", Operation.EXEC), Duration.ofSeconds(30));

        // b takes the first (free now, until +30), b the second (+30 → +60); a ends its own at +50
        assertThat(StartEstimate.of(usable, List.of(Operation.EXEC, Operation.EXEC), durations, NOW))
                .contains(NOW.plusSeconds(50));
        assertThat(StartEstimate.of(usable, List.of(), durations, NOW))
                .as("nothing ahead: the free device")
                .contains(NOW);
    }

    @Test
    void aBusyDevicePastItsExpectedEndIsFreeNowAndAnUnknownDurationGivesNoEstimate() {
        List<DeviceState> usable = List.of(busySince("a", NOW.minusSeconds(600)));

        assertThat(StartEstimate.of(
                        usable, List.of(), Map.of(new Work("a", Operation.EXEC), Duration.ofSeconds(60)), NOW))
                .contains(NOW);
        assertThat(StartEstimate.of(usable, List.of(), Map.of(), NOW)).isEmpty();
        assertThat(StartEstimate.of(List.of(free("b")), List.of(Operation.TRACE), Map.of(), NOW))
                .isEmpty();
    }
}
