package dev.workcell.agent.artifact;

import com.google.protobuf.ByteString;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ArtifactRequest;
import dev.workcell.proto.v1.ArtifactServiceGrpc;
import dev.workcell.proto.v1.ArtifactStatus;
import dev.workcell.proto.v1.DownloadChunk;
import dev.workcell.proto.v1.DownloadRequest;
import dev.workcell.proto.v1.UploadHeader;
import dev.workcell.proto.v1.UploadRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control plane's artifact service, in memory, answering as the real one does
 * (control-plane ArtifactGrpcService, ArtifactUploads, PostgresArtifactStore): the same status
 * code and message for each refusal, content verified the moment its last byte arrives and discarded
 * with DATA_LOSS when its SHA-256 differs. A test can make it break the next upload or download after
 * some bytes, as a cut connection would.
 */
@GrpcService
public class FakeArtifactStore extends ArtifactServiceGrpc.ArtifactServiceImplBase {

    static final int DOWNLOAD_CHUNK = 64 * 1024;
    /** The real service's default workcell.artifacts.max-chunk-bytes. */
    static final int MAX_CHUNK_BYTES = 1024 * 1024;

    /** What the store holds of one artifact. */
    private static final class Blob {
        UploadHeader header;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean complete;
    }

    /** An upload that sent bytes, and the offset of its first chunk. */
    public record Upload(String sha256, long firstOffset) {}

    private final Map<String, Blob> blobs = new ConcurrentHashMap<>();
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private final AtomicLong breakUploadAfter = new AtomicLong(-1);
    private final AtomicLong breakDownloadAfter = new AtomicLong(-1);
    private volatile long sizeLimit = Long.MAX_VALUE;

    /** Stores a complete artifact at once, as an earlier action's upload would have. */
    public Artifact put(String name, byte[] content) {
        Blob blob = new Blob();
        blob.header = UploadHeader.newBuilder()
                .setSha256(sha256(content))
                .setSize(content.length)
                .setName(name)
                .setContentType("application/octet-stream")
                .build();
        blob.bytes.writeBytes(content);
        blob.complete = true;
        blobs.put(blob.header.getSha256(), blob);
        return artifact(blob.header);
    }

    /** The complete content of an artifact, or null. */
    public byte[] content(String sha256) {
        Blob blob = blobs.get(sha256);
        synchronized (this) {
            return blob != null && blob.complete ? blob.bytes.toByteArray() : null;
        }
    }

    /** Bytes received of an artifact so far. */
    public synchronized long received(String sha256) {
        Blob blob = blobs.get(sha256);
        return blob == null ? 0 : blob.bytes.size();
    }

    public List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    /** Refuses uploads of artifacts larger than this (the real one's workcell.artifacts.max-bytes). */
    public void limitSize(long bytes) {
        sizeLimit = bytes;
    }

    /** Breaks the next upload with UNAVAILABLE once the artifact holds at least this many bytes. */
    public void breakNextUploadAfter(long bytes) {
        breakUploadAfter.set(bytes);
    }

    /** Breaks the next download with UNAVAILABLE after sending at least this many bytes. */
    public void breakNextDownloadAfter(long bytes) {
        breakDownloadAfter.set(bytes);
    }

    /** Forgets everything and every knob. */
    public void reset() {
        blobs.clear();
        uploads.clear();
        breakUploadAfter.set(-1);
        breakDownloadAfter.set(-1);
        sizeLimit = Long.MAX_VALUE;
    }

    @Override
    public synchronized void status(ArtifactRequest request, StreamObserver<ArtifactStatus> response) {
        if (!isSha256(request.getSha256())) {
            response.onError(notSha256("sha256", request.getSha256()).asRuntimeException());
            return;
        }
        Blob blob = blobs.get(request.getSha256());
        ArtifactStatus.Builder status = ArtifactStatus.newBuilder().setSha256(request.getSha256());
        if (blob != null) {
            status.setSize(blob.header.getSize()).setReceived(blob.bytes.size()).setComplete(blob.complete);
        }
        response.onNext(status.build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<UploadRequest> upload(StreamObserver<Artifact> response) {
        return new StreamObserver<>() {
            private Blob blob;
            private boolean done;
            private boolean chunked;

            @Override
            public void onNext(UploadRequest request) {
                if (done) {
                    return;
                }
                synchronized (FakeArtifactStore.this) {
                    if (blob == null) {
                        start(request);
                    } else if (!blob.complete) {
                        next(request);
                    }
                }
            }

            @Override
            public void onError(Throwable failure) {
                done = true;
            }

            @Override
            public void onCompleted() {
                if (done) {
                    return;
                }
                synchronized (FakeArtifactStore.this) {
                    finish();
                }
            }

            private void start(UploadRequest request) {
                if (!request.hasHeader()) {
                    fail(Status.INVALID_ARGUMENT.withDescription("upload: the first message must be a header"));
                    return;
                }
                UploadHeader header = request.getHeader();
                if (!isSha256(header.getSha256())) {
                    fail(notSha256("header.sha256", header.getSha256()));
                } else if (header.getSize() < 0) {
                    fail(Status.INVALID_ARGUMENT.withDescription("header.size: must not be negative"));
                } else if (header.getSize() > sizeLimit) {
                    fail(Status.RESOURCE_EXHAUSTED.withDescription("artifact of " + header.getSize()
                            + " bytes is over the limit of " + sizeLimit + " bytes (workcell.artifacts.max-bytes)"));
                } else if (header.getName().isBlank()
                        || header.getName().length() > 255
                        || header.getName().contains("/")) {
                    fail(Status.INVALID_ARGUMENT.withDescription("header.name: required: a file name without '/'"));
                } else {
                    begin(
                            header.getContentType().isBlank()
                                    ? header.toBuilder()
                                            .setContentType("application/octet-stream")
                                            .build()
                                    : header);
                }
            }

            private void begin(UploadHeader header) {
                Blob started = blobs.computeIfAbsent(header.getSha256(), sha -> new Blob());
                if (started.header == null) {
                    started.header = header;
                } else if (started.header.getSize() != header.getSize()) {
                    fail(Status.FAILED_PRECONDITION.withDescription("artifact " + header.getSha256()
                            + " was started with size " + started.header.getSize() + ", not " + header.getSize()));
                    return;
                }
                blob = started;
                if (header.getSize() == 0 && !blob.complete) {
                    verify();
                }
            }

            private void next(UploadRequest request) {
                if (!request.hasChunk()) {
                    fail(Status.INVALID_ARGUMENT.withDescription("upload: one header, then chunks"));
                    return;
                }
                long offset = request.getChunk().getOffset();
                ByteString data = request.getChunk().getData();
                if (data.size() > MAX_CHUNK_BYTES) {
                    fail(Status.RESOURCE_EXHAUSTED.withDescription(
                            "chunk of " + data.size() + " bytes is over the limit of " + MAX_CHUNK_BYTES + " bytes"));
                    return;
                }
                if (!chunked) {
                    chunked = true;
                    uploads.add(new Upload(blob.header.getSha256(), offset));
                }
                if (offset != blob.bytes.size()) {
                    fail(Status.FAILED_PRECONDITION.withDescription(
                            "chunk at offset " + offset + " but " + blob.bytes.size() + " bytes of "
                                    + blob.header.getSha256() + " are held: resume from " + blob.bytes.size()));
                    return;
                }
                if (offset + data.size() > blob.header.getSize()) {
                    fail(Status.INVALID_ARGUMENT.withDescription("chunk: offset " + offset + " + " + data.size()
                            + " bytes is past the declared size " + blob.header.getSize()));
                    return;
                }
                blob.bytes.writeBytes(data.toByteArray());
                long breakAt = breakUploadAfter.get();
                if (breakAt >= 0 && blob.bytes.size() >= breakAt && breakUploadAfter.compareAndSet(breakAt, -1)) {
                    fail(Status.UNAVAILABLE.withDescription("connection cut by the test"));
                } else if (blob.bytes.size() == blob.header.getSize()) {
                    verify();
                }
            }

            /** As the real store does when the last byte arrives: complete on a match, discarded otherwise. */
            private void verify() {
                String actual = sha256(blob.bytes.toByteArray());
                if (actual.equals(blob.header.getSha256())) {
                    blob.complete = true;
                    return;
                }
                blobs.remove(blob.header.getSha256());
                fail(Status.DATA_LOSS.withDescription("content of artifact " + blob.header.getSha256() + " has SHA-256 "
                        + actual + "; it was discarded, upload it again"));
            }

            private void finish() {
                if (blob == null) {
                    fail(Status.INVALID_ARGUMENT.withDescription("upload: empty: a header is required"));
                } else if (!blob.complete) {
                    fail(Status.INVALID_ARGUMENT.withDescription("upload: incomplete: " + blob.bytes.size() + " of "
                            + blob.header.getSize() + " bytes of " + blob.header.getSha256() + " held; resume from "
                            + blob.bytes.size()));
                } else {
                    done = true;
                    response.onNext(artifact(blob.header));
                    response.onCompleted();
                }
            }

            private void fail(Status status) {
                done = true;
                response.onError(status.asRuntimeException());
            }
        };
    }

    @Override
    public void download(DownloadRequest request, StreamObserver<DownloadChunk> response) {
        if (!isSha256(request.getSha256())) {
            response.onError(notSha256("sha256", request.getSha256()).asRuntimeException());
            return;
        }
        byte[] content = content(request.getSha256());
        if (content == null) {
            response.onError(Status.NOT_FOUND
                    .withDescription("no artifact " + request.getSha256())
                    .asRuntimeException());
            return;
        }
        if (request.getOffset() < 0 || request.getOffset() > content.length) {
            response.onError(Status.INVALID_ARGUMENT
                    .withDescription("offset: must be between 0 and " + content.length)
                    .asRuntimeException());
            return;
        }
        for (int offset = (int) request.getOffset(); offset < content.length; offset += DOWNLOAD_CHUNK) {
            long breakAt = breakDownloadAfter.get();
            if (breakAt >= 0 && offset >= breakAt && breakDownloadAfter.compareAndSet(breakAt, -1)) {
                response.onError(Status.UNAVAILABLE
                        .withDescription("connection cut by the test")
                        .asRuntimeException());
                return;
            }
            int length = Math.min(DOWNLOAD_CHUNK, content.length - offset);
            response.onNext(DownloadChunk.newBuilder()
                    .setOffset(offset)
                    .setData(ByteString.copyFrom(content, offset, length))
                    .build());
        }
        response.onCompleted();
    }

    private static boolean isSha256(String value) {
        return value.matches("[0-9a-f]{64}");
    }

    private static Status notSha256(String field, String value) {
        return Status.INVALID_ARGUMENT.withDescription(
                field + ": '" + (value.length() > 80 ? value.substring(0, 80) + "…" : value)
                        + "' is not a SHA-256 (64 lowercase hex characters)");
    }

    /** The stored artifact, as the real store's find answers it: the first header's name and type. */
    private static Artifact artifact(UploadHeader header) {
        return Artifact.newBuilder()
                .setSha256(header.getSha256())
                .setName(header.getName())
                .setSize(header.getSize())
                .setContentType(header.getContentType())
                .build();
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
