package dev.workcell.agent.artifact;

import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ReplayOutput;
import dev.workcell.proto.v1.ReportOutput;
import dev.workcell.proto.v1.TraceOutput;

/** The one file an action's typed output names: the trace of a TRACE, the video of a REPLAY, the report of a REPORT. */
final class TypedOutput {

    private TypedOutput() {}

    /** The file the output names; empty for EXEC or when it names none. */
    static String of(ActionOutput output) {
        return switch (output.getKindCase()) {
            case TRACE -> output.getTrace().getTrace();
            case REPLAY -> output.getReplay().getVideo();
            case REPORT -> output.getReport().getReport();
            default -> "";
        };
    }

    /** Makes the output name this file instead; EXEC outputs name none and stay as they are. */
    static void set(ActionOutput.Builder output, String file) {
        switch (output.getKindCase()) {
            case TRACE -> output.setTrace(TraceOutput.newBuilder().setTrace(file));
            case REPLAY -> output.setReplay(ReplayOutput.newBuilder().setVideo(file));
            case REPORT -> output.setReport(ReportOutput.newBuilder().setReport(file));
            default -> {}
        }
    }
}
