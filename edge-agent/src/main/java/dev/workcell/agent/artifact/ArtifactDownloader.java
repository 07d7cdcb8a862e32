package dev.workcell.agent.artifact;

import dev.workcell.agent.retry.Sleeper;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ArtifactServiceGrpc;
import dev.workcell.proto.v1.DownloadChunk;
import dev.workcell.proto.v1.DownloadRequest;
import io.grpc.Channel;
import io.grpc.Context;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Fetches an artifact from the control plane into a file: chunk by chunk into {@code <file>.part},
 * resuming from what arrived when the connection breaks (a few times, with growing pauses), then
 * checked against its SHA-256 and size before it takes the file's name.
 */
public final class ArtifactDownloader {

    private static final Logger LOG = Logger.getLogger(ArtifactDownloader.class);
    private static final int TRIES = 5;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);

    private final ArtifactServiceGrpc.ArtifactServiceBlockingStub artifacts;

    public ArtifactDownloader(Channel channel) {
        this.artifacts = ArtifactServiceGrpc.newBlockingStub(channel);
    }

    /**
     * Downloads the artifact into the file.
     *
     * @param cancellation completing it stops the download
     * @throws ArtifactException when it is missing, refused or corrupt (for good) or the connection kept breaking (retryable)
     * @throws CancellationException when cancelled
     */
    public void download(Artifact artifact, Path file, CompletableFuture<?> cancellation) throws InterruptedException {
        String what = "the download of input artifact " + artifact.getName() + " (" + Sha256.brief(artifact.getSha256())
                + ")";
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Duration pause = FIRST_PAUSE;
        for (int tried = 1; ; tried++) {
            try {
                receive(artifact, part, cancellation);
                break;
            } catch (IOException failure) {
                throw new ArtifactException(what + " failed: " + failure.getMessage(), false, failure);
            } catch (RuntimeException failure) {
                if (cancellation.isDone()) {
                    throw new CancellationException("cancelled during " + what);
                }
                ArtifactException error = GrpcFailures.of(what, failure);
                if (!error.retryable() || tried == TRIES) {
                    throw error;
                }
                LOG.warnf("%s; resuming in %d ms", error.getMessage(), pause.toMillis());
                Sleeper.REAL_TIME.sleep(pause, cancellation);
                pause = pause.multipliedBy(2);
            }
        }
        verify(artifact, part, what);
        try {
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException failure) {
            throw new ArtifactException(
                    what + " could not be moved to " + file + ": " + failure.getMessage(), false, failure);
        }
    }

    /** Appends the rest of the artifact to the part file, from the bytes it already holds. */
    private void receive(Artifact artifact, Path part, CompletableFuture<?> cancellation) throws IOException {
        try (Context.CancellableContext context = Context.current().withCancellation();
                FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            cancellation.whenComplete((reason, failure) -> context.cancel(null));
            long offset = out.size();
            DownloadRequest request = DownloadRequest.newBuilder()
                    .setSha256(artifact.getSha256())
                    .setOffset(offset)
                    .build();
            Context previous = context.attach();
            try {
                for (Iterator<DownloadChunk> chunks = artifacts.download(request); chunks.hasNext(); ) {
                    DownloadChunk chunk = chunks.next();
                    if (chunk.getOffset() != offset) {
                        throw new IOException("the control plane sent bytes from " + chunk.getOffset() + " where "
                                + offset + " was expected");
                    }
                    out.write(chunk.getData().asReadOnlyByteBuffer(), offset);
                    offset += chunk.getData().size();
                }
            } finally {
                context.detach(previous);
            }
            out.force(true);
        }
    }

    private static void verify(Artifact artifact, Path part, String what) {
        try {
            long size = Files.size(part);
            String sha256 = Sha256.of(part);
            if (!sha256.equals(artifact.getSha256()) || (artifact.getSize() > 0 && size != artifact.getSize())) {
                Files.delete(part);
                throw new ArtifactException(
                        what + " arrived with SHA-256 " + sha256 + " and " + size + " bytes; expected "
                                + artifact.getSha256() + " and " + artifact.getSize() + " bytes",
                        false,
                        null);
            }
        } catch (IOException failure) {
            throw new ArtifactException(what + " could not be checked: " + failure.getMessage(), false, failure);
        }
    }
}
