package dev.workcell.controlplane.artifact;

import dev.workcell.controlplane.action.NotFoundException;
import dev.workcell.proto.v1.Artifact;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestMulti;

/** Artifacts over REST: download with the right length, type and file name; metadata as JSON. */
@Path("/api/v1/artifacts")
public class ArtifactResource {

    private final ArtifactStore store;

    public ArtifactResource(ArtifactStore store) {
        this.store = store;
    }

    @GET
    @Path("{sha256}")
    @Produces(MediaType.WILDCARD)
    public Uni<Multi<byte[]>> download(@PathParam("sha256") String sha256) {
        return find(sha256).map(artifact -> RestMulti.fromMultiData(store.read(artifact.getSha256(), 0))
                .header("Content-Type", artifact.getContentType())
                .header("Content-Length", Long.toString(artifact.getSize()))
                .header("Content-Disposition", "attachment; filename=\"" + artifact.getName().replace("\"", "") + "\"")
                .build());
    }

    @GET
    @Path("{sha256}/info")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Artifact> info(@PathParam("sha256") String sha256) {
        return find(sha256);
    }

    private Uni<Artifact> find(String sha256) {
        return Uni.createFrom().item(() -> ArtifactRefs.requireSha256("sha256", sha256))
                .chain(store::find)
                .map(found -> found.orElseThrow(() -> new NotFoundException("no artifact " + sha256)));
    }
}
