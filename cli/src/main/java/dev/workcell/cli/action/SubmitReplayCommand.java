package dev.workcell.cli.action;

import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.ReplayInput;
import dev.workcell.proto.v1.SubmitActionRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** workcell submit replay: replay a trace and record a video. */
@Command(name = "replay", description = "Replay a trace on each target and record a video.")
public class SubmitReplayCommand implements Callable<Integer> {

    @Mixin
    Submission submission;

    @Mixin
    TraceOptions trace;

    @Override
    public Integer call() {
        ReplayInput replay = ReplayInput.newBuilder()
                .setTrace(trace.trace)
                .setApi(trace.api)
                .setGapirDevice(trace.gapirDevice)
                .putAllParams(trace.params)
                .build();
        return submission.run(SubmitActionRequest.newBuilder()
                .setOperation(Operation.REPLAY)
                .setInput(ActionInput.newBuilder().setReplay(replay))
                .build());
    }
}
