package dev.workcell.cli.action;

import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.ReportInput;
import dev.workcell.proto.v1.SubmitActionRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** workcell submit report: produce a report from a trace. */
@Command(name = "report", description = "Produce a report from a trace on each target.")
public class SubmitReportCommand implements Callable<Integer> {

    @Mixin
    Submission submission;

    @Mixin
    TraceOptions trace;

    @Override
    public Integer call() {
        ReportInput report = ReportInput.newBuilder()
                .setTrace(trace.trace)
                .setApi(trace.api)
                .setGapirDevice(trace.gapirDevice)
                .putAllParams(trace.params)
                .build();
        return submission.run(SubmitActionRequest.newBuilder()
                .setOperation(Operation.REPORT)
                .setInput(ActionInput.newBuilder().setReport(report))
                .build());
    }
}
