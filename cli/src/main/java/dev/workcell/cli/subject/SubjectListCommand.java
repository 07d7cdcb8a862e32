package dev.workcell.cli.subject;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Listing;
import dev.workcell.cli.output.OutputOptions;
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
        Listing.of(subjects, subjects.getSubjectsList())
                .column("ID", Subject::getId)
                .column("NAME", Subject::getName)
                .column("API", Subject::getApi)
                .column("ARTIFACT", subject -> subject.getArtifact().substring(0, 12) + "…")
                .column(
                        "LABELS",
                        subject -> subject.getLabelsMap().entrySet().stream()
                                .map(label -> label.getKey() + "=" + label.getValue())
                                .sorted()
                                .collect(Collectors.joining(",")))
                .print(output, System.out);
        return 0;
    }
}
