package dev.workcell.cli.action;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.GetActionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** workcell get: actions by id, in full. */
@Command(name = "get", description = "Show actions: status, attempts, input, output, error, artifacts.")
public class GetCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Action ids.")
    List<String> ids;

    @Override
    public Integer call() {
        List<Action> actions = new ArrayList<>();
        try (ControlPlane controlPlane = connection.open()) {
            for (String id : ids) {
                actions.add(controlPlane
                        .actions()
                        .get(GetActionRequest.newBuilder().setId(id).build()));
            }
        }
        ActionPrinter.print(System.out, output, actions, out -> {
            for (int i = 0; i < actions.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                ActionDetail.print(out, actions.get(i));
            }
        });
        return 0;
    }
}
