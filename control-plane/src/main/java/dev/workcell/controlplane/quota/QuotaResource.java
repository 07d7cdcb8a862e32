package dev.workcell.controlplane.quota;

import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.controlplane.validation.TextFields;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Quotas over REST: admins cap how many actions a submitter runs at once; viewers see the caps. */
@Path("/api/v1/quotas")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    /** PUT /quotas/{submitter}: at most how many of its actions run at once, and why. */
    public record QuotaRequest(Integer maxRunning, String note) {}

    /** GET /quotas. */
    public record QuotaList(List<QuotaView> quotas) {}

    static final int MAX_RUNNING = 100_000;
    private static final int MAX_NOTE = 500;
    private static final int MAX_SUBMITTER = 128;

    private final Quotas quotas;
    private final CurrentCaller caller;

    public QuotaResource(Quotas quotas, CurrentCaller caller) {
        this.quotas = quotas;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Uni<QuotaList> all() {
        return Panache.withSession(() -> SubmitterQuota.all()
                .map(list -> new QuotaList(list.stream().map(QuotaView::of).toList())));
    }

    @GET
    @Path("{submitter}")
    @RolesAllowed(Roles.VIEWER)
    public Uni<QuotaView> of(@PathParam("submitter") String submitter) {
        return Panache.withSession(() -> SubmitterQuota.<SubmitterQuota>findById(submitter)
                .map(quota -> {
                    if (quota == null) {
                        throw new NotFoundException("submitter", "submitter " + submitter + " has no quota");
                    }
                    return QuotaView.of(quota);
                }));
    }

    @PUT
    @Path("{submitter}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<QuotaView> set(@PathParam("submitter") String submitter, QuotaRequest request) {
        return Uni.createFrom()
                .item(() -> validated(submitter, request))
                .chain(valid -> caller.get()
                        .chain(by -> quotas.set(submitter, valid.maxRunning(), valid.note(), by.describe())))
                .map(QuotaView::of);
    }

    @DELETE
    @Path("{submitter}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<QuotaView> remove(@PathParam("submitter") String submitter) {
        return caller.get().chain(by -> quotas.remove(submitter, by.describe())).map(QuotaView::of);
    }

    private static QuotaRequest validated(String submitter, QuotaRequest request) {
        TextFields.check("submitter", submitter, MAX_SUBMITTER);
        if (request == null || request.maxRunning() == null) {
            throw new InvalidRequestException(
                    "maxRunning", "required: {\"maxRunning\": 2, \"note\": \"why\" (optional)}");
        }
        if (request.maxRunning() < 0 || request.maxRunning() > MAX_RUNNING) {
            throw new InvalidRequestException(
                    "maxRunning", "must be between 0 (none run) and " + MAX_RUNNING + ", got " + request.maxRunning());
        }
        String note = request.note() == null ? "" : request.note().strip();
        if (note.length() > MAX_NOTE || note.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("note", "at most " + MAX_NOTE + " characters, no control characters");
        }
        return new QuotaRequest(request.maxRunning(), note);
    }
}
