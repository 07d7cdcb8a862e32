package dev.workcell.cli.action;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.CancelActionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** workcell cancel: a queued action at once, a running one on its agent; --wait until they are over. */
@Command(name = "cancel", description = "Cancel actions: a queued one at once, a running one on its agent.")
public class CancelCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Mixin
    WaitOptions waiting;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Action ids.")
    List<String> ids;

    @Override
    public Integer call() {
        try (ControlPlane controlPlane = connection.open()) {
            List<Action> actions = new ArrayList<>();
            for (String id : ids) {
                actions.add(controlPlane
                        .actions()
                        .cancel(CancelActionRequest.newBuilder().setId(id).build()));
            }
            return waiting.finish(controlPlane, actions, output);
        }
    }
}
