package dev.workcell.controlplane.artifact;

import com.google.protobuf.ByteString;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ArtifactRequest;
import dev.workcell.proto.v1.ArtifactService;
import dev.workcell.proto.v1.ArtifactStatus;
import dev.workcell.proto.v1.DownloadChunk;
import dev.workcell.proto.v1.DownloadRequest;
import dev.workcell.proto.v1.UploadRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;

/**
 * Artifacts over gRPC: status (to resume or skip), upload, download. Agents upload; clients
 * (viewers) and agents (task inputs) download.
 */
@GrpcService
@RolesAllowed(Roles.AGENT)
public class ArtifactGrpcService implements ArtifactService {

    private final ArtifactStore store;
    private final ArtifactUploads uploads;

    public ArtifactGrpcService(ArtifactStore store, ArtifactUploads uploads) {
        this.store = store;
        this.uploads = uploads;
    }

    @Override
    public Uni<ArtifactStatus> status(ArtifactRequest request) {
        return Uni.createFrom()
                .item(() -> ArtifactRefs.requireSha256("sha256", request.getSha256()))
                .chain(store::status)
                .map(found -> found.orElse(ArtifactStatus.newBuilder()
                        .setSha256(request.getSha256())
                        .build()));
    }

    @Override
    public Uni<Artifact> upload(Multi<UploadRequest> requests) {
        return uploads.upload(requests);
    }

    @Override
    @RolesAllowed({Roles.VIEWER, Roles.AGENT})
    public Multi<DownloadChunk> download(DownloadRequest request) {
        return Uni.createFrom()
                .item(() -> ArtifactRefs.requireSha256("sha256", request.getSha256()))
                .chain(store::find)
                .onItem()
                .transformToMulti(found -> {
                    Artifact artifact =
                            found.orElseThrow(() -> new NotFoundException("no artifact " + request.getSha256()));
                    if (request.getOffset() < 0 || request.getOffset() > artifact.getSize()) {
                        throw new InvalidRequestException("offset", "must be between 0 and " + artifact.getSize());
                    }
                    long[] offset = {request.getOffset()};
                    return store.read(artifact.getSha256(), request.getOffset()).map(data -> {
                        DownloadChunk chunk = DownloadChunk.newBuilder()
                                .setOffset(offset[0])
                                .setData(ByteString.copyFrom(data))
                                .build();
                        offset[0] += data.length;
                        return chunk;
                    });
                });
    }
}
