package dev.workcell.agent.task;

import dev.workcell.proto.v1.ActionOutput;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A process to run for an attempt: its argv (no shell), the environment it adds, how long it may
 * take, which output strings make a failure retryable, and the typed output to report with it.
 */
public record Command(
        List<String> argv,
        Map<String, String> env,
        Duration timeout,
        List<String> retryStrings,
        ActionOutput typedOutput) {

    public Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        retryStrings = List.copyOf(retryStrings);
    }

    /** The program, for messages. */
    public String program() {
        return argv.get(0);
    }
}
