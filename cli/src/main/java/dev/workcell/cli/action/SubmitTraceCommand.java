package dev.workcell.cli.action;

import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.TraceInput;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** workcell submit trace: capture a graphics trace of an application. */
@Command(name = "trace", description = "Capture a graphics trace of an application on each target.")
public class SubmitTraceCommand implements Callable<Integer> {

    @Mixin
    Submission submission;

    @Option(
            names = "--subject",
            required = true,
            description = "The application: a package name, APK path or artifact:<sha256>.")
    String subject;

    @Option(names = "--api", description = "gles or vulkan (default: the tool chooses).")
    String api = "";

    @Option(names = "--duration", paramLabel = "SECONDS", description = "How long to trace (default: the agent's).")
    int durationSeconds;

    @Option(
            names = "--param",
            paramLabel = "NAME=VALUE",
            description = "An extra parameter of the agent's trace command (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Override
    public Integer call() {
        TraceInput trace = TraceInput.newBuilder()
                .setSubject(subject)
                .setApi(api)
                .setDurationSeconds(durationSeconds)
                .putAllParams(params)
                .build();
        return submission.run(SubmitActionRequest.newBuilder()
                .setOperation(Operation.TRACE)
                .setInput(ActionInput.newBuilder().setTrace(trace))
                .build());
    }
}
