package dev.workcell.agent.task;

import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.Task;
import java.util.List;
import java.util.Map;

/** Builds tasks for tests. */
final class Tasks {

    private Tasks() {}

    static Task exec(String actionId, String target, String... argv) {
        return exec(actionId, target, 0, Map.of(), argv);
    }

    static Task exec(String actionId, String target, int timeoutSeconds, Map<String, String> env, String... argv) {
        return task(
                actionId,
                target,
                Operation.EXEC,
                ActionInput.newBuilder()
                        .setExec(ExecInput.newBuilder()
                                .addAllArgv(List.of(argv))
                                .putAllEnv(env)
                                .setTimeoutSeconds(timeoutSeconds))
                        .build());
    }

    static Task task(String actionId, String target, Operation operation, ActionInput input) {
        return Task.newBuilder()
                .setActionId(actionId)
                .setAttempt(1)
                .setOperation(operation)
                .setInput(input)
                .setWorkerId("worker-" + target)
                .setTargetId("id-" + target)
                .setTargetSerial(target)
                .build();
    }
}
