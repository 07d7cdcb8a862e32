package dev.workcell.cli.artifact;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.GetActionRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** workcell artifacts get: download one artifact by SHA-256, or every artifact of an action. */
@Command(
        name = "get",
        description = {
            "Download an artifact (by SHA-256) or every artifact of an action (by action id).",
            "An interrupted download resumes; each file is checked against its SHA-256."
        })
public class ArtifactGetCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "SHA256|ID", description = "An artifact's SHA-256 (64 hex digits) or an action id (40).")
    String reference;

    @Option(
            names = {"-d", "--dir"},
            paramLabel = "DIR",
            description = "Where to save, under the artifacts' names (default: here).")
    Path dir = Path.of(".");

    @Option(
            names = {"-O", "--output-file"},
            paramLabel = "FILE",
            description = "Save one artifact (by SHA-256) as this file.")
    Path file;

    @Override
    public Integer call() {
        boolean bySha256 = reference.startsWith("artifact:") || reference.length() == 64;
        String sha256 = reference.startsWith("artifact:") ? reference.substring("artifact:".length()) : reference;
        if (file != null && !bySha256) {
            throw new CliException(ExitCodes.USAGE, "-O saves one artifact: name it by its SHA-256, or use --dir");
        }
        try (ControlPlane controlPlane = connection.open()) {
            List<Artifact> artifacts = bySha256
                    ? List.of(info(controlPlane, sha256))
                    : controlPlane
                            .actions()
                            .get(GetActionRequest.newBuilder().setId(reference).build())
                            .getOutput()
                            .getArtifactsList();
            if (artifacts.isEmpty()) {
                throw new CliException(ExitCodes.NOT_FOUND, "action " + reference + " has no artifacts");
            }
            ArtifactDownload download = new ArtifactDownload(controlPlane);
            for (Artifact artifact : artifacts) {
                Path target = file != null ? file : dir.resolve(safeName(artifact));
                download.save(artifact, target);
                System.out.println(target + "  " + artifact.getSize() + " bytes  " + artifact.getSha256());
            }
        }
        return 0;
    }

    private static Artifact info(ControlPlane controlPlane, String sha256) {
        Artifact.Builder artifact = Artifact.newBuilder();
        try {
            JsonFormat.parser()
                    .ignoringUnknownFields()
                    .merge(
                            controlPlane
                                    .rest()
                                    .get("/artifacts/" + sha256 + "/info")
                                    .toString(),
                            artifact);
        } catch (InvalidProtocolBufferException e) {
            throw new CliException(
                    ExitCodes.FAILED, "the control plane described artifact " + sha256 + " oddly: " + e.getMessage());
        }
        return artifact.build();
    }

    /** The artifact's own file name, without any directory it may claim. */
    private static String safeName(Artifact artifact) {
        Path name = Path.of(artifact.getName().isBlank() ? artifact.getSha256() : artifact.getName())
                .getFileName();
        String text = name == null ? "" : name.toString();
        return text.isBlank() || text.equals("..") || text.equals(".") ? artifact.getSha256() : text;
    }
}
