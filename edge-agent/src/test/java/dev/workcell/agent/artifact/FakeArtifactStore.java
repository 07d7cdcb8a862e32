package dev.workcell.agent.artifact;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

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

/**
 * The control plane's artifact store, in memory, as strict as the real one: uploads must start at
 * what it already received, are refused over its size limit, and are kept only when every byte
 * arrived and the SHA-256 matches. A test can make it break the next upload or download after some
 * bytes, as a cut connection would.
 */
@GrpcService
public class FakeArtifactStore extends ArtifactServiceGrpc.ArtifactServiceImplBase {

    static final int DOWNLOAD_CHUNK = 64 * 1024;

    /** What the store holds of one artifact. */
    private static final class Blob {
        UploadHeader header;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean complete;
    }

    /** An upload that sent bytes, and the offset of its first chunk. */
    public record Upload(String sha256, long firstOffset) {
    }

    private final Map<String, Blob> blobs = new ConcurrentHashMap<>();
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private final AtomicLong breakUploadAfter = new AtomicLong(-1);
    private final AtomicLong breakDownloadAfter = new AtomicLong(-1);
    private volatile long sizeLimit = Long.MAX_VALUE;

    /** Stores a complete artifact at once, as an earlier action's upload would have. */
    public Artifact put(String name, byte[] content) {
        Blob blob = new Blob();
        blob.header = UploadHeader.newBuilder().setSha256(sha256(content)).setSize(content.length).setName(name).build();
        blob.bytes.writeBytes(content);
        blob.complete = true;
        blobs.put(blob.header.getSha256(), blob);
        return Artifact.newBuilder().setSha256(blob.header.getSha256()).setName(name).setSize(content.length)
                .setContentType("application/octet-stream").build();
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

    /** Refuses uploads of artifacts larger than this. */
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
                    if (request.hasHeader()) {
                        header(request.getHeader());
                    } else if (blob == null) {
                        fail(Status.INVALID_ARGUMENT.withDescription("an upload starts with its header"));
                    } else {
                        chunk(request.getChunk().getOffset(), request.getChunk().getData());
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
                    if (blob == null) {
                        fail(Status.INVALID_ARGUMENT.withDescription("an upload needs a header"));
                    } else {
                        finish();
                    }
                }
            }

            private void header(UploadHeader header) {
                if (!header.getSha256().matches("[0-9a-f]{64}")) {
                    fail(Status.INVALID_ARGUMENT.withDescription("'" + header.getSha256() + "' is no SHA-256"));
                    return;
                }
                if (header.getSize() > sizeLimit) {
                    fail(Status.RESOURCE_EXHAUSTED.withDescription("artifact " + header.getName() + " is " + header.getSize()
                            + " bytes, over the limit of " + sizeLimit + " bytes"));
                    return;
                }
                blob = blobs.computeIfAbsent(header.getSha256(), sha -> new Blob());
                if (blob.header == null) {
                    blob.header = header;
                }
                if (blob.complete) {
                    answer();
                }
            }

            private void chunk(long offset, ByteString data) {
                if (!chunked) {
                    chunked = true;
                    uploads.add(new Upload(blob.header.getSha256(), offset));
                }
                if (offset != blob.bytes.size()) {
                    fail(Status.FAILED_PRECONDITION.withDescription("chunk at " + offset + ", but " + blob.bytes.size()
                            + " bytes are here"));
                    return;
                }
                if (offset + data.size() > blob.header.getSize()) {
                    fail(Status.INVALID_ARGUMENT.withDescription("more bytes than the declared " + blob.header.getSize()));
                    return;
                }
                blob.bytes.writeBytes(data.toByteArray());
                long breakAt = breakUploadAfter.get();
                if (breakAt >= 0 && blob.bytes.size() >= breakAt && breakUploadAfter.compareAndSet(breakAt, -1)) {
                    fail(Status.UNAVAILABLE.withDescription("connection cut by the test"));
                }
            }

            private void finish() {
                if (blob.complete) {
                    answer();
                } else if (blob.bytes.size() < blob.header.getSize()) {
                    fail(Status.FAILED_PRECONDITION.withDescription("the upload ended at byte " + blob.bytes.size() + " of "
                            + blob.header.getSize()));
                } else if (!sha256(blob.bytes.toByteArray()).equals(blob.header.getSha256())) {
                    blobs.remove(blob.header.getSha256());
                    fail(Status.INVALID_ARGUMENT.withDescription("the content does not have SHA-256 " + blob.header.getSha256()));
                } else {
                    blob.complete = true;
                    answer();
                }
            }

            private void answer() {
                done = true;
                response.onNext(Artifact.newBuilder()
                        .setSha256(blob.header.getSha256())
                        .setName(blob.header.getName())
                        .setSize(blob.header.getSize())
                        .setContentType(blob.header.getContentType())
                        .build());
                response.onCompleted();
            }

            private void fail(Status status) {
                done = true;
                response.onError(status.asRuntimeException());
            }
        };
    }

    @Override
    public void download(DownloadRequest request, StreamObserver<DownloadChunk> response) {
        byte[] content = content(request.getSha256());
        if (content == null) {
            response.onError(Status.NOT_FOUND.withDescription("no complete artifact " + request.getSha256()).asRuntimeException());
            return;
        }
        if (request.getOffset() < 0 || request.getOffset() > content.length) {
            response.onError(Status.OUT_OF_RANGE.withDescription("offset " + request.getOffset()).asRuntimeException());
            return;
        }
        for (int offset = (int) request.getOffset(); offset < content.length; offset += DOWNLOAD_CHUNK) {
            long breakAt = breakDownloadAfter.get();
            if (breakAt >= 0 && offset >= breakAt && breakDownloadAfter.compareAndSet(breakAt, -1)) {
                response.onError(Status.UNAVAILABLE.withDescription("connection cut by the test").asRuntimeException());
                return;
            }
            int length = Math.min(DOWNLOAD_CHUNK, content.length - offset);
            response.onNext(DownloadChunk.newBuilder().setOffset(offset).setData(ByteString.copyFrom(content, offset, length)).build());
        }
        response.onCompleted();
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
