package dev.workcell.controlplane.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TraceInput;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** gapid-robot.md §5 items 29-30, and the dedup rule built on them. */
class EquivalentActionTest {

    static final Action TRACE = Action.newBuilder()
            .setId("a".repeat(40))
            .setOperation(Operation.TRACE)
            .setInput(ActionInput.newBuilder()
                    .setTrace(TraceInput.newBuilder()
                            .setSubject("com.example.game")
                            .setApi("vulkan")))
            .setHost("host-1")
            .setTarget("phone-1")
            .setStatus(ActionStatus.QUEUED)
            .build();

    @Test
    void sameInputHostAndTargetAreEquivalentWhateverIdStatusAndOutput() {
        Action other = TRACE.toBuilder()
                .setId("b".repeat(40))
                .setStatus(ActionStatus.FAILED)
                .setOutput(ActionOutput.newBuilder().setExitCode(3))
                .build();

        assertThat(EquivalentAction.test(TRACE, other)).isTrue();
    }

    @Test
    void anotherInputIsNotEquivalent() {
        Action other = TRACE.toBuilder()
                .setInput(ActionInput.newBuilder()
                        .setTrace(TraceInput.newBuilder()
                                .setSubject("com.example.game")
                                .setApi("gles")))
                .build();

        assertThat(EquivalentAction.test(TRACE, other)).isFalse();
    }

    @Test
    void anotherHostIsNotEquivalent() {
        assertThat(EquivalentAction.test(
                        TRACE, TRACE.toBuilder().setHost("host-2").build()))
                .isFalse();
    }

    @Test
    void anotherTargetIsNotEquivalent() {
        assertThat(EquivalentAction.test(
                        TRACE, TRACE.toBuilder().setTarget("phone-2").build()))
                .isFalse();
    }

    @Test
    void anotherOperationIsNotEquivalent() {
        assertThat(EquivalentAction.test(
                        TRACE, TRACE.toBuilder().setOperation(Operation.REPORT).build()))
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(
            value = ActionStatus.class,
            names = {"QUEUED", "DISPATCHED", "RUNNING"})
    void anInFlightActionIsReusedEvenWhenForced(ActionStatus status) {
        assertThat(EquivalentAction.reuses(TRACE.toBuilder().setStatus(status).build(), true))
                .isTrue();
    }

    @Test
    void aSucceededActionIsReusedUnlessForced() {
        Action succeeded = TRACE.toBuilder().setStatus(ActionStatus.SUCCEEDED).build();

        assertThat(EquivalentAction.reuses(succeeded, false)).isTrue();
        assertThat(EquivalentAction.reuses(succeeded, true)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(
            value = ActionStatus.class,
            names = {"FAILED", "CANCELLED"})
    void aFailedOrCancelledActionNeverBlocksANewOne(ActionStatus status) {
        assertThat(EquivalentAction.reuses(TRACE.toBuilder().setStatus(status).build(), false))
                .isFalse();
    }

    @Test
    void equalInputsHashEquallyWhateverTheirMapOrder() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("a", "1");
        forward.put("b", "2");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("b", "2");
        backward.put("a", "1");
        ActionInput one = ActionInput.newBuilder()
                .setTrace(TraceInput.newBuilder().setSubject("s").putAllParams(forward))
                .build();
        ActionInput two = ActionInput.newBuilder()
                .setTrace(TraceInput.newBuilder().setSubject("s").putAllParams(backward))
                .build();

        assertThat(EquivalentAction.inputHash(EquivalentAction.canonicalBytes(one)))
                .isEqualTo(EquivalentAction.inputHash(EquivalentAction.canonicalBytes(two)))
                .hasSize(64);
    }
}
