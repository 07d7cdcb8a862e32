package dev.workcell.cli.subject;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Table;
import dev.workcell.proto.v1.ListSubjectsRequest;
import dev.workcell.proto.v1.ListSubjectsResponse;
import dev.workcell.proto.v1.Subject;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** workcell subject list: every subject, by name. */
@Command(name = "list", description = "List subjects, by name.")
public class SubjectListCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ListSubjectsResponse subjects;
        try (ControlPlane controlPlane = connection.open()) {
            subjects = controlPlane.campaigns().listSubjects(ListSubjectsRequest.getDefaultInstance());
        }
        output.print(System.out, Json.tree(subjects), subjects.getSubjectsList().stream().map(Json::tree).toList(), out -> {
            Table table = new Table("ID", "NAME", "API", "ARTIFACT", "LABELS");
            for (Subject subject : subjects.getSubjectsList()) {
                table.row(subject.getId(), subject.getName(), subject.getApi(), subject.getArtifact().substring(0, 12) + "…",
                        subject.getLabelsMap().entrySet().stream().map(label -> label.getKey() + "=" + label.getValue())
                                .sorted().collect(Collectors.joining(",")));
            }
            table.print(out);
        });
        return 0;
    }
}
