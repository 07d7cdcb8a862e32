package dev.workcell.controlplane.web;

import dev.workcell.controlplane.campaign.Campaigns;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The Campaigns view: every campaign, newest first, with its size and runs; a name opens its grid. */
@Path("/campaigns")
@PermitAll
public class CampaignsPage {

    private final Template campaigns;
    private final Campaigns store;
    private final SignedIn signedIn;
    private final Frames frames;

    public CampaignsPage(@Location("campaigns.html") Template campaigns, Campaigns store, SignedIn signedIn, Frames frames) {
        this.campaigns = campaigns;
        this.store = store;
        this.signedIn = signedIn;
        this.frames = frames;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page() {
        return signedIn.viewer()
                .chain(viewer -> frames.of(viewer, "campaigns"))
                .chain(frame -> store.list().map(all -> campaigns.data("frame", frame).data("campaigns", all)));
    }
}
