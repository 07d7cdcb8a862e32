package dev.workcell.agent.task;

import dev.workcell.proto.v1.Operation;
import java.nio.file.Path;

/** Runs one kind of task to its end; a new way to run tasks is a new implementation, not a new branch. */
public interface TaskExecutor {

    /** The operation this executor runs. */
    Operation operation();

    /**
     * Runs the attempt in its fresh working directory and says how it ended.
     *
     * @throws InvalidTaskException when the task cannot be turned into a process
     */
    Outcome execute(Attempt attempt, Path workDir);
}
