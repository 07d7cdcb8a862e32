package dev.workcell.controlplane.artifact;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.errors.TooLargeException;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ArtifactStatus;
import dev.workcell.proto.v1.UploadHeader;
import dev.workcell.proto.v1.UploadRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One upload stream: a header, then chunks in order from where the store stands. Checks sizes
 * against the configured limits before anything is stored; an artifact already complete is
 * answered at once (de-duplicated) and the rest of the stream is ignored.
 */
@ApplicationScoped
public class ArtifactUploads {

    private final ArtifactStore store;
    private final WorkcellConfig.Artifacts limits;

    public ArtifactUploads(ArtifactStore store, WorkcellConfig config) {
        this.store = store;
        this.limits = config.artifacts();
    }

    public Uni<Artifact> upload(Multi<UploadRequest> requests) {
        Progress progress = new Progress();
        return requests.onItem()
                .transformToUniAndConcatenate(request -> progress.accept(request))
                .collect()
                .last()
                .chain(() -> progress.finish());
    }

    /** Where one upload stream stands. */
    private final class Progress {
        private UploadHeader header;
        private ArtifactStatus status;

        Uni<Void> accept(UploadRequest request) {
            if (header == null) {
                return start(request);
            }
            if (status.getComplete()) {
                return Uni.createFrom().voidItem();
            }
            if (request.getKindCase() != UploadRequest.KindCase.CHUNK) {
                return Uni.createFrom().failure(new InvalidRequestException("upload", "one header, then chunks"));
            }
            int length = request.getChunk().getData().size();
            if (length > limits.maxChunkBytes()) {
                return Uni.createFrom()
                        .failure(new TooLargeException("chunk of " + length + " bytes is over the limit of "
                                + limits.maxChunkBytes() + " bytes"));
            }
            return store.append(
                            header.getSha256(),
                            request.getChunk().getOffset(),
                            request.getChunk().getData().toByteArray())
                    .invoke(advanced -> status = advanced)
                    .replaceWithVoid();
        }

        Uni<Artifact> finish() {
            if (header == null) {
                return Uni.createFrom().failure(new InvalidRequestException("upload", "empty: a header is required"));
            }
            if (!status.getComplete()) {
                return Uni.createFrom()
                        .failure(new InvalidRequestException(
                                "upload",
                                "incomplete: " + status.getReceived()
                                        + " of " + status.getSize() + " bytes of " + header.getSha256()
                                        + " held; resume from "
                                        + status.getReceived()));
            }
            return store.find(header.getSha256())
                    .map(found -> found.orElseThrow(() -> new NotFoundException("no artifact " + header.getSha256())));
        }

        private Uni<Void> start(UploadRequest request) {
            if (request.getKindCase() != UploadRequest.KindCase.HEADER) {
                return Uni.createFrom()
                        .failure(new InvalidRequestException("upload", "the first message must be a header"));
            }
            UploadHeader given = request.getHeader();
            ArtifactRefs.requireSha256("header.sha256", given.getSha256());
            if (given.getSize() < 0) {
                return Uni.createFrom().failure(new InvalidRequestException("header.size", "must not be negative"));
            }
            if (given.getSize() > limits.maxBytes()) {
                return Uni.createFrom()
                        .failure(new TooLargeException("artifact of " + given.getSize() + " bytes is over the limit of "
                                + limits.maxBytes() + " bytes (workcell.artifacts.max-bytes)"));
            }
            if (given.getName().isBlank()
                    || given.getName().length() > 255
                    || given.getName().contains("/")) {
                return Uni.createFrom()
                        .failure(new InvalidRequestException("header.name", "required: a file name without '/'"));
            }
            header = given.getContentType().isBlank()
                    ? given.toBuilder()
                            .setContentType("application/octet-stream")
                            .build()
                    : given;
            return store.begin(header)
                    .chain(begun -> begun.getSize() == 0 && !begun.getComplete()
                            ? store.append(header.getSha256(), 0, new byte[0])
                            : Uni.createFrom().item(begun))
                    .invoke(begun -> status = begun)
                    .replaceWithVoid();
        }
    }
}
