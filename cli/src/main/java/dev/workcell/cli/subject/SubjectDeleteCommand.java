package dev.workcell.cli.subject;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.DeleteSubjectRequest;
import dev.workcell.proto.v1.Subject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** workcell subject delete: a subject no campaign uses. */
@Command(
        name = "delete",
        description = "Delete a subject that no campaign uses (the server names the campaign that does).")
public class SubjectDeleteCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "SUBJECT_ID", description = "The subject's id (workcell subject list).")
    String id;

    @Override
    public Integer call() {
        Subject deleted;
        try (ControlPlane controlPlane = connection.open()) {
            deleted = controlPlane
                    .campaigns()
                    .deleteSubject(DeleteSubjectRequest.newBuilder().setId(id).build());
        }
        output.print(
                System.out,
                Json.tree(deleted),
                List.of(Json.tree(deleted)),
                out -> out.println("deleted subject " + deleted.getId() + " (" + deleted.getName() + ")"));
        return 0;
    }
}
