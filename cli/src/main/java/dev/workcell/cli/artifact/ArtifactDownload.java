package dev.workcell.cli.artifact;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.DownloadChunk;
import dev.workcell.proto.v1.DownloadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * Downloads an artifact over gRPC into a file: into "NAME.part" first, resumed from where an
 * interrupted download stopped, checked against the artifact's SHA-256, then renamed into place.
 */
final class ArtifactDownload {

    private final ControlPlane controlPlane;

    ArtifactDownload(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
    }

    void save(Artifact artifact, Path target) {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            long offset = Files.exists(part) ? Files.size(part) : 0;
            if (offset > artifact.getSize()) {
                Files.delete(part);
                offset = 0;
            }
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                Iterator<DownloadChunk> chunks = controlPlane
                        .artifacts()
                        .download(DownloadRequest.newBuilder()
                                .setSha256(artifact.getSha256())
                                .setOffset(offset)
                                .build());
                while (chunks.hasNext()) {
                    chunks.next().getData().writeTo(out);
                }
            }
            String sha256 = sha256(part);
            if (!sha256.equals(artifact.getSha256())) {
                Files.delete(part);
                throw new CliException(
                        ExitCodes.FAILED,
                        "the download of " + artifact.getName() + " has SHA-256 " + sha256 + ", not "
                                + artifact.getSha256() + ": deleted, try again");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write " + part + ": " + e.getMessage());
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
