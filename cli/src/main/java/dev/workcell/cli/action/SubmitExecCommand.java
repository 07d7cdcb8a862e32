package dev.workcell.cli.action;

import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** workcell submit exec: run a command (without a shell) on each target. */
@Command(
        name = "exec",
        description = "Run a command, without a shell, on each target: submit exec -t pixel-7 -- uname -a")
public class SubmitExecCommand implements Callable<Integer> {

    @Mixin
    Submission submission;

    @Option(
            names = "--env",
            paramLabel = "NAME=VALUE",
            description = "An environment variable for the command (repeatable).")
    Map<String, String> env = new LinkedHashMap<>();

    @Parameters(arity = "1..*", paramLabel = "ARG", description = "The program and its arguments (after --).")
    List<String> argv;

    @Override
    public Integer call() {
        ExecInput exec = ExecInput.newBuilder().addAllArgv(argv).putAllEnv(env).build();
        return submission.run(SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC)
                .setInput(ActionInput.newBuilder().setExec(exec))
                .build());
    }
}
