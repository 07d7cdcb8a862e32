package dev.workcell.controlplane.artifact;

import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ArtifactStatus;
import dev.workcell.proto.v1.UploadHeader;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.Optional;

/** Where artifacts' bytes live. Content-addressed: an artifact is its SHA-256, written once, verified, then immutable. */
public interface ArtifactStore {

    /** How much of an artifact is held; empty when it was never started. */
    Uni<Optional<ArtifactStatus>> status(String sha256);

    /** Starts an upload (or finds the one already started or complete) and returns where it stands. */
    Uni<ArtifactStatus> begin(UploadHeader header);

    /**
     * Appends bytes at an offset that must equal the bytes held; returns the new status. When the
     * last byte arrives the content is verified against its SHA-256: complete on a match, discarded
     * (with a {@link ContentMismatchException}) otherwise.
     */
    Uni<ArtifactStatus> append(String sha256, long offset, byte[] data);

    /** A complete artifact. */
    Uni<Optional<Artifact>> find(String sha256);

    /** The bytes of a complete artifact from an offset, in chunks. */
    Multi<byte[]> read(String sha256, long offset);

    /** The content did not have the SHA-256 it was uploaded under. */
    class ContentMismatchException extends RuntimeException {
        public ContentMismatchException(String message) {
            super(message);
        }
    }
}
