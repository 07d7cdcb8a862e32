package dev.workcell.cli.subject;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.CreateSubjectRequest;
import dev.workcell.proto.v1.Subject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** workcell subject create: a package under test, from an artifact already uploaded. */
@Command(
        name = "create",
        description = "Create a subject from an uploaded package (its SHA-256, e.g. from an EXEC's output artifacts).")
public class SubjectCreateCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Option(names = "--name", required = true, description = "Unique name, e.g. 'com.example.game 1.2'.")
    String name;

    @Option(
            names = "--artifact",
            required = true,
            paramLabel = "SHA256",
            description = "The uploaded package's SHA-256.")
    String artifact;

    @Option(
            names = "--api",
            required = true,
            description = "gles (replayed on the host) or vulkan (replayed on the traced device).")
    String api;

    @Option(names = "--trace-seconds", defaultValue = "0", description = "How long to trace; 0: the agent's default.")
    int traceSeconds;

    @Option(
            names = "--label",
            paramLabel = "KEY=VALUE",
            description = "A label (repeatable), e.g. --label team=games; the grid can group by one.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Override
    public Integer call() {
        Subject subject;
        try (ControlPlane controlPlane = connection.open()) {
            subject = controlPlane
                    .campaigns()
                    .createSubject(CreateSubjectRequest.newBuilder()
                            .setName(name)
                            .setArtifact(artifact)
                            .setApi(api)
                            .setTraceSeconds(traceSeconds)
                            .putAllLabels(labels)
                            .build());
        }
        output.print(
                System.out,
                Json.tree(subject),
                List.of(Json.tree(subject)),
                out -> out.println("created subject " + subject.getId() + " (" + subject.getName() + ")"));
        return 0;
    }
}
