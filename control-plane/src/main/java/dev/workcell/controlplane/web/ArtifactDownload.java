package dev.workcell.controlplane.web;

import dev.workcell.controlplane.artifact.ArtifactResource;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/** Artifact downloads for a signed-in person: the API's download, reached with the session instead of a bearer token. */
@Path("/artifacts/{sha256}")
@PermitAll
public class ArtifactDownload {

    private final ArtifactResource artifacts;
    private final SignedIn signedIn;

    public ArtifactDownload(ArtifactResource artifacts, SignedIn signedIn) {
        this.artifacts = artifacts;
        this.signedIn = signedIn;
    }

    @GET
    @Produces(MediaType.WILDCARD)
    @Blocking
    public Response download(@PathParam("sha256") String sha256) {
        signedIn.viewer().await().atMost(Duration.ofSeconds(30));
        return artifacts.download(sha256);
    }
}
