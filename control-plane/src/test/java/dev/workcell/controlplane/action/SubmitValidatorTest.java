package dev.workcell.controlplane.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.ReportInput;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.TraceInput;
import org.junit.jupiter.api.Test;

class SubmitValidatorTest {

    final SubmitValidator validator = new SubmitValidator(1024);

    static SubmitActionRequest.Builder exec(String... argv) {
        return SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC)
                .setTarget("phone")
                .setInput(
                        ActionInput.newBuilder().setExec(ExecInput.newBuilder().addAllArgv(java.util.List.of(argv))));
    }

    @Test
    void aCompleteRequestPassesAndGivesItsCanonicalInput() {
        assertThat(validator.validate(exec("echo", "hi").build())).isNotEmpty();
    }

    @Test
    void unknownOperationNumberIsNamed() {
        assertThatThrownBy(() ->
                        validator.validate(exec("true").setOperationValue(17).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("operation: unknown value 17");
    }

    @Test
    void missingTargetIsNamed() {
        assertThatThrownBy(() -> validator.validate(exec("true").setTarget("").build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("target:");
    }

    @Test
    void aNulAnywhereInTheInputIsRefusedNamingItsField() {
        SubmitActionRequest.Builder envValue = exec("env");
        envValue.getInputBuilder().getExecBuilder().putEnv("HOME", "/tmp\0x");
        SubmitActionRequest.Builder param = SubmitActionRequest.newBuilder()
                .setOperation(Operation.REPORT)
                .setTarget("phone")
                .setInput(ActionInput.newBuilder()
                        .setReport(ReportInput.newBuilder().setTrace("t").putParams("k\0", "v")));

        assertThatThrownBy(() -> validator.validate(exec("echo", "a\0").build()))
                .hasMessage("input.exec.argv[1]: contains a NUL character");
        assertThatThrownBy(() -> validator.validate(envValue.build()))
                .hasMessage("input.exec.env[\"HOME\"]: contains a NUL character");
        assertThatThrownBy(() -> validator.validate(param.build()))
                .hasMessage("input.report.params[\"k\\0\"]: contains a NUL character");
    }

    @Test
    void inputMustMatchTheOperation() {
        assertThatThrownBy(() -> validator.validate(
                        exec("true").setOperation(Operation.REPORT).build()))
                .hasMessageContaining("input.exec does not match operation REPORT (it needs input.report)");
    }

    @Test
    void eachOperationChecksItsRequiredField() {
        SubmitActionRequest trace = SubmitActionRequest.newBuilder()
                .setOperation(Operation.TRACE)
                .setTarget("p")
                .setInput(ActionInput.newBuilder().setTrace(TraceInput.getDefaultInstance()))
                .build();
        SubmitActionRequest report = SubmitActionRequest.newBuilder()
                .setOperation(Operation.REPORT)
                .setTarget("p")
                .setInput(ActionInput.newBuilder().setReport(ReportInput.getDefaultInstance()))
                .build();

        assertThatThrownBy(() -> validator.validate(trace)).hasMessage("input.trace.subject: required");
        assertThatThrownBy(() -> validator.validate(report)).hasMessage("input.report.trace: required");
        assertThatThrownBy(() -> validator.validate(exec().build()))
                .hasMessageStartingWith("input.exec.argv: required");
    }

    @Test
    void oversizedInputIsRefusedWithItsSize() {
        assertThatThrownBy(
                        () -> validator.validate(exec("echo", "x".repeat(2000)).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("over the limit of 1024");
    }

    @Test
    void overlongIdempotencyKeyIsRefused() {
        assertThatThrownBy(() -> validator.validate(
                        exec("true").setIdempotencyKey("k".repeat(129)).build()))
                .hasMessageStartingWith("idempotency_key:");
    }
}
