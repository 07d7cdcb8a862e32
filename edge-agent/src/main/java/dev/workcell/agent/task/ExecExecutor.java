package dev.workcell.agent.task;

import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.ExecOutput;
import dev.workcell.proto.v1.Operation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Runs EXEC tasks: the input's argv as given, with its environment added, under its timeout. */
public final class ExecExecutor implements TaskExecutor {

    private static final ActionOutput EXEC_OUTPUT =
            ActionOutput.newBuilder().setExec(ExecOutput.getDefaultInstance()).build();

    private final ProcessRunner runner;
    private final Duration defaultTimeout;
    private final List<String> retryStrings;

    /**
     * @param defaultTimeout timeout of an input that sets none
     * @param retryStrings output strings, besides "text file busy", that make a failure retryable
     */
    public ExecExecutor(ProcessRunner runner, Duration defaultTimeout, List<String> retryStrings) {
        this.runner = runner;
        this.defaultTimeout = defaultTimeout;
        this.retryStrings = List.copyOf(retryStrings);
    }

    @Override
    public Operation operation() {
        return Operation.EXEC;
    }

    @Override
    public Outcome execute(Attempt attempt, Path workDir) {
        return runner.run(command(attempt.task().getInput()), attempt, workDir);
    }

    private Command command(ActionInput input) {
        if (input.getKindCase() != ActionInput.KindCase.EXEC) {
            throw new InvalidTaskException("an EXEC task needs an exec input, not " + input.getKindCase());
        }
        ExecInput exec = input.getExec();
        if (exec.getArgvCount() == 0) {
            throw new InvalidTaskException("the EXEC task has an empty argv");
        }
        Duration timeout = exec.getTimeoutSeconds() > 0 ? Duration.ofSeconds(exec.getTimeoutSeconds()) : defaultTimeout;
        return new Command(exec.getArgvList(), exec.getEnvMap(), timeout, retryStrings, EXEC_OUTPUT);
    }
}
