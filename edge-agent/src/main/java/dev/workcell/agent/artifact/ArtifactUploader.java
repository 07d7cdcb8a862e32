package dev.workcell.agent.artifact;

import com.google.protobuf.ByteString;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ArtifactRequest;
import dev.workcell.proto.v1.ArtifactServiceGrpc;
import dev.workcell.proto.v1.ArtifactStatus;
import dev.workcell.proto.v1.UploadChunk;
import dev.workcell.proto.v1.UploadHeader;
import dev.workcell.proto.v1.UploadRequest;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Puts a file on the control plane under its SHA-256: asks where it stands first (nothing to do when
 * complete, resume from what it received when partial), then streams it in chunks of
 * {@link #CHUNK_BYTES}, only as fast as the connection takes them, so a large file is never held in memory.
 */
public final class ArtifactUploader {

    private static final Logger LOG = Logger.getLogger(ArtifactUploader.class);
    static final int CHUNK_BYTES = 256 * 1024;
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);
    private static final long READY_POLL_MILLIS = 5;
    /** How long the control plane gets to verify and answer once the last byte is sent. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(5);

    private final ArtifactServiceGrpc.ArtifactServiceBlockingStub status;
    private final ArtifactServiceGrpc.ArtifactServiceStub upload;

    public ArtifactUploader(Channel channel) {
        this.status = ArtifactServiceGrpc.newBlockingStub(channel);
        this.upload = ArtifactServiceGrpc.newStub(channel);
    }

    /**
     * Makes sure the control plane holds the file as this artifact.
     *
     * @throws ArtifactException when the control plane refuses it (for good) or the upload broke (retryable: it resumes)
     * @throws InterruptedException when the agent stops meanwhile
     */
    public void upload(Path file, Artifact artifact) throws InterruptedException {
        String what = "the upload of artifact " + artifact.getName() + " (" + Sha256.brief(artifact.getSha256()) + ", "
                + artifact.getSize() + " bytes)";
        ArtifactStatus held;
        try {
            held = status.withDeadlineAfter(STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .status(ArtifactRequest.newBuilder()
                            .setSha256(artifact.getSha256())
                            .build());
        } catch (RuntimeException failure) {
            throw GrpcFailures.of(what, failure);
        }
        if (held.getComplete()) {
            LOG.infof(
                    "artifact %s (%s) is already on the control plane; not uploading it again",
                    artifact.getName(), Sha256.brief(artifact.getSha256()));
            return;
        }
        if (held.getReceived() < 0 || held.getReceived() > artifact.getSize()) {
            throw new ArtifactException(
                    what + " cannot resume: the control plane says it received " + held.getReceived() + " bytes",
                    false,
                    null);
        }
        send(file, artifact, held.getReceived(), what);
        LOG.infof(
                "uploaded artifact %s (%s, %d bytes) from byte %d",
                artifact.getName(), Sha256.brief(artifact.getSha256()), artifact.getSize(), held.getReceived());
    }

    private void send(Path file, Artifact artifact, long from, String what) throws InterruptedException {
        CompletableFuture<Artifact> answer = new CompletableFuture<>();
        CompletableFuture<ClientCallStreamObserver<UploadRequest>> call = new CompletableFuture<>();
        upload.upload(new ClientResponseObserver<UploadRequest, Artifact>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<UploadRequest> requests) {
                call.complete(requests);
            }

            @Override
            public void onNext(Artifact stored) {
                answer.complete(stored);
            }

            @Override
            public void onError(Throwable failure) {
                answer.completeExceptionally(failure);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(
                        new IllegalStateException("the control plane ended the upload without an answer"));
            }
        });
        ClientCallStreamObserver<UploadRequest> requests = call.getNow(null);
        try (FileChannel content = FileChannel.open(file, StandardOpenOption.READ)) {
            requests.onNext(UploadRequest.newBuilder()
                    .setHeader(UploadHeader.newBuilder()
                            .setSha256(artifact.getSha256())
                            .setSize(artifact.getSize())
                            .setName(artifact.getName())
                            .setContentType(artifact.getContentType()))
                    .build());
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
            for (long offset = from; offset < artifact.getSize() && !answer.isDone(); ) {
                if (!requests.isReady()) {
                    Thread.sleep(READY_POLL_MILLIS);
                    continue;
                }
                buffer.clear();
                int read = content.read(buffer, offset);
                if (read < 0) {
                    throw new IOException(
                            file + " ends at byte " + offset + ", before its " + artifact.getSize() + " bytes");
                }
                requests.onNext(UploadRequest.newBuilder()
                        .setChunk(
                                UploadChunk.newBuilder().setOffset(offset).setData(ByteString.copyFrom(buffer.flip())))
                        .build());
                offset += read;
            }
            if (!answer.isDone()) {
                requests.onCompleted();
            }
        } catch (IOException | RuntimeException failure) {
            requests.cancel("the agent could not read the file", failure);
            throw new ArtifactException(what + " failed reading " + file + ": " + failure.getMessage(), false, failure);
        } catch (InterruptedException stopped) {
            requests.cancel("the agent is stopping", stopped);
            throw stopped;
        }
        Artifact stored = awaitAnswer(answer, requests, what);
        if (!stored.getSha256().equals(artifact.getSha256())) {
            throw new ArtifactException(what + " was stored as " + stored.getSha256(), false, null);
        }
    }

    private static Artifact awaitAnswer(
            CompletableFuture<Artifact> answer, ClientCallStreamObserver<UploadRequest> requests, String what)
            throws InterruptedException {
        try {
            return answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            throw GrpcFailures.of(what, failed.getCause());
        } catch (TimeoutException silent) {
            requests.cancel("no answer", silent);
            throw new ArtifactException(
                    what + " got no answer within " + ANSWER_TIMEOUT.toMinutes() + " min", true, silent);
        }
    }
}
