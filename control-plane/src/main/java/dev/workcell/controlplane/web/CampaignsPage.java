package dev.workcell.controlplane.web;

import dev.workcell.controlplane.campaign.Campaigns;
import dev.workcell.controlplane.campaign.Subjects;
import dev.workcell.controlplane.errors.AlreadyExistsException;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The Campaigns view: every campaign, newest first, with its size and runs; a name opens its grid.
 * Submitters get a form that creates a campaign from the subjects there are (the server checks the
 * role, the page only hides the form).
 */
@Path("/campaigns")
@PermitAll
public class CampaignsPage {

    private final Template campaigns;
    private final Campaigns store;
    private final Subjects subjects;
    private final SignedIn signedIn;
    private final Frames frames;

    public CampaignsPage(
            @Location("campaigns.html") Template campaigns,
            Campaigns store,
            Subjects subjects,
            SignedIn signedIn,
            Frames frames) {
        this.campaigns = campaigns;
        this.store = store;
        this.subjects = subjects;
        this.signedIn = signedIn;
        this.frames = frames;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page() {
        return signedIn.viewer()
                .chain(viewer -> frames.of(viewer, "campaigns"))
                .chain(frame -> store.list()
                        .chain(all -> subjects.list()
                                .map(known -> campaigns
                                        .data("frame", frame)
                                        .data("campaigns", all)
                                        .data("subjects", known))));
    }

    /** Creates the campaign; the answer is the form's result: a link to the new campaign, or what was refused. */
    @POST
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> create(
            @RestForm String name,
            @RestForm List<String> subject,
            @RestForm String kinds,
            @RestForm List<String> replayOn) {
        return signedIn.withRole(Roles.SUBMITTER)
                .chain(viewer -> Uni.createFrom()
                        .item(() -> new CampaignForm(name, subject, kinds, replayOn).request())
                        .chain(request -> store.create(request, viewer.caller())))
                .map(created -> campaigns
                        .getFragment("created")
                        .data("created", created)
                        .data("error", null)
                        .render())
                .onFailure(CampaignsPage::isRefusal)
                .recoverWithItem(refused -> campaigns
                        .getFragment("created")
                        .data("created", null)
                        .data("error", refusal(refused))
                        .render());
    }

    private static boolean isRefusal(Throwable failure) {
        return failure instanceof InvalidRequestException
                || failure instanceof NotFoundException
                || failure instanceof AlreadyExistsException;
    }

    /** What was refused, with the field that names it (the API's {error, field} on one line). */
    private static String refusal(Throwable failure) {
        String field = failure instanceof NotFoundException notFound
                ? notFound.field()
                : failure instanceof AlreadyExistsException taken ? taken.field() : null;
        return field == null ? failure.getMessage() : field + ": " + failure.getMessage();
    }
}
