package dev.workcell.cli.action;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.GetActionRequest;
import dev.workcell.proto.v1.SubmitActionRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * workcell retry: the same operation and input again, as a new action (forced), on the same target
 * unless --target names others.
 */
@Command(
        name = "retry",
        description =
                "Run an action again as a new one: same operation, input and priority, same target unless --target says.")
public class RetryCommand implements Callable<Integer> {

    @Mixin
    Submission submission;

    @Parameters(paramLabel = "ID", description = "The action to run again.")
    String id;

    @Override
    public Integer call() {
        return submission.run(controlPlane -> {
            Action action = controlPlane
                    .actions()
                    .get(GetActionRequest.newBuilder().setId(id).build());
            return SubmitActionRequest.newBuilder()
                    .setOperation(action.getOperation())
                    .setTarget(action.getTarget())
                    .setInput(action.getInput())
                    .setExecutionTimeoutSeconds(action.getExecutionTimeoutSeconds())
                    .setPriority(action.getPriority())
                    .setForce(true)
                    .build();
        });
    }
}
