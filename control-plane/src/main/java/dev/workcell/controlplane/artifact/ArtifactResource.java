package dev.workcell.controlplane.artifact;

import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.Artifact;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Duration;
import java.util.ArrayDeque;

/** Artifacts over REST: download with the right length, type and file name; metadata as JSON. */
@Path("/api/v1/artifacts")
@RolesAllowed(Roles.VIEWER)
public class ArtifactResource {

    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    private final ArtifactStore store;

    public ArtifactResource(ArtifactStore store) {
        this.store = store;
    }

    /** Streams the bytes on a worker thread, a few chunks in memory at a time. */
    @GET
    @Path("{sha256}")
    @Produces(MediaType.WILDCARD)
    @Blocking
    public Response download(@PathParam("sha256") String sha256) {
        Artifact artifact = find(sha256).await().atMost(LOOKUP_TIMEOUT);
        StreamingOutput body = out -> {
            for (byte[] chunk : store.read(artifact.getSha256(), 0).subscribe().asIterable(2, ArrayDeque::new)) {
                out.write(chunk);
            }
        };
        return Response.ok(body, artifact.getContentType())
                .header("Content-Length", artifact.getSize())
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"" + artifact.getName().replace("\"", "") + "\"")
                .build();
    }

    @GET
    @Path("{sha256}/info")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Artifact> info(@PathParam("sha256") String sha256) {
        return find(sha256);
    }

    private Uni<Artifact> find(String sha256) {
        return Uni.createFrom()
                .item(() -> ArtifactRefs.requireSha256("sha256", sha256))
                .chain(store::find)
                .map(found -> found.orElseThrow(() -> new NotFoundException("no artifact " + sha256)));
    }
}
