package dev.workcell.controlplane.web;

import dev.workcell.controlplane.action.AfterCommit;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.AccessResource;
import dev.workcell.controlplane.security.Audit;
import dev.workcell.controlplane.security.ClientTokens;
import dev.workcell.controlplane.security.EnrolledAgents;
import dev.workcell.controlplane.security.EnrollmentTokens;
import dev.workcell.controlplane.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The Admin view, for the admin role only (the server refuses every other role, 403, whatever the
 * page shows): API tokens, enrollment tokens, agents, devices waiting for approval, and the audit
 * trail a page at a time. Each change goes through the same services as the REST API, which write
 * its audit row; each answers with its section rendered again, a new secret shown this once.
 */
@Path("/admin")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class AdminPage {

    static final int AUDIT_PAGE_SIZE = 50;
    static final int PENDING_DEVICES = 100;
    static final long MAX_DAYS = 3650;

    private final Template admin;
    private final ClientTokens clientTokens;
    private final EnrollmentTokens enrollmentTokens;
    private final EnrolledAgents agents;
    private final DeviceStore devices;
    private final AfterCommit afterCommit;
    private final Audit audit;
    private final SignedIn signedIn;
    private final Frames frames;

    public AdminPage(
            @Location("admin.html") Template admin,
            ClientTokens clientTokens,
            EnrollmentTokens enrollmentTokens,
            EnrolledAgents agents,
            DeviceStore devices,
            AfterCommit afterCommit,
            Audit audit,
            SignedIn signedIn,
            Frames frames) {
        this.admin = admin;
        this.clientTokens = clientTokens;
        this.enrollmentTokens = enrollmentTokens;
        this.agents = agents;
        this.devices = devices;
        this.afterCommit = afterCommit;
        this.audit = audit;
        this.signedIn = signedIn;
        this.frames = frames;
    }

    /** The page; {@code before} pages the audit trail back from an event's seq. */
    @GET
    public Uni<TemplateInstance> page(@RestQuery Long before) {
        if (before != null && before <= 0) {
            throw new InvalidRequestException("before", "an event's number from the audit's next link");
        }
        return signedIn.withRole(Roles.ADMIN)
                .chain(viewer -> frames.of(viewer, "admin"))
                // The two token lists one after the other: Panache sessions of one request must not overlap.
                .chain(frame -> Uni.combine()
                        .all()
                        .unis(
                                clientTokens
                                        .list()
                                        .chain(tokens -> enrollmentTokens
                                                .list()
                                                .map(enrollment -> Tuple2.of(tokens, enrollment))),
                                agents.list(),
                                devices.pending(PENDING_DEVICES),
                                audit.before(before == null ? Long.MAX_VALUE : before, AUDIT_PAGE_SIZE + 1))
                        .asTuple()
                        .map(all -> admin.data("frame", frame)
                                .data("tokens", all.getItem1().getItem1())
                                .data("enrollmentTokens", all.getItem1().getItem2())
                                .data("agents", all.getItem2())
                                .data("devices", all.getItem3())
                                .data(
                                        "audit",
                                        all.getItem4().stream()
                                                .limit(AUDIT_PAGE_SIZE)
                                                .toList())
                                .data("auditMore", all.getItem4().size() > AUDIT_PAGE_SIZE)
                                .data("auditPaged", before != null)
                                .data("roles", List.of(Roles.VIEWER, Roles.SUBMITTER, Roles.ADMIN))
                                .data("created", null)
                                .data("error", null)));
    }

    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<String> createToken(@RestForm String name, @RestForm String role, @RestForm Long expiresInDays) {
        return signedIn.withRole(Roles.ADMIN)
                .chain(viewer -> Uni.createFrom()
                        .item(() -> {
                            AccessResource.requireName("name", name);
                            String chosen = role == null ? "" : role.trim().toLowerCase(Locale.ROOT);
                            if (!Roles.isClientRole(chosen)) {
                                throw new InvalidRequestException("role", "must be viewer, submitter or admin");
                            }
                            return chosen;
                        })
                        .chain(chosen -> clientTokens.create(name, chosen, days(expiresInDays), viewer.caller()))
                        .chain(created -> tokens(created.secret(), null))
                        .onFailure(InvalidRequestException.class)
                        .recoverWithUni(e -> tokens(null, e.getMessage())));
    }

    @POST
    @Path("tokens/{id}/revoke")
    public Uni<String> revokeToken(@PathParam("id") String id) {
        return signedIn.withRole(Roles.ADMIN)
                .chain(viewer -> clientTokens.revoke(id, viewer.caller()))
                .chain(revoked -> tokens(null, null));
    }

    @POST
    @Path("enrollment-tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<String> createEnrollmentToken(
            @RestForm String pool, @RestForm String labels, @RestForm boolean reusable, @RestForm Long expiresInHours) {
        return signedIn.withRole(Roles.ADMIN)
                .chain(viewer -> Uni.createFrom()
                        .item(() -> {
                            AccessResource.requireName("pool", pool);
                            List<String> split = labels == null
                                    ? List.of()
                                    : List.of(labels.split(",")).stream()
                                            .map(String::trim)
                                            .filter(label -> !label.isEmpty())
                                            .toList();
                            split.forEach(label -> AccessResource.requireName("labels", label));
                            return split;
                        })
                        .chain(split -> enrollmentTokens.create(
                                pool,
                                split,
                                reusable,
                                AccessResource.lifetime(
                                        hours(expiresInHours), AccessResource.DEFAULT_ENROLLMENT_LIFETIME),
                                viewer.caller()))
                        .chain(created -> enrollment(created.secret(), null))
                        .onFailure(InvalidRequestException.class)
                        .recoverWithUni(e -> enrollment(null, e.getMessage())));
    }

    @POST
    @Path("enrollment-tokens/{id}/revoke")
    public Uni<String> revokeEnrollmentToken(@PathParam("id") String id) {
        return signedIn.withRole(Roles.ADMIN)
                .chain(viewer -> enrollmentTokens.revoke(id, viewer.caller()))
                .chain(revoked -> enrollment(null, null));
    }

    /** Revokes an agent's credential and closes its streams, as the API does. */
    @POST
    @Path("agents/{id}/revoke")
    public Uni<String> revokeAgent(@PathParam("id") String id) {
        return signedIn.withRole(Roles.ADMIN)
                .chain(viewer -> agents.revoke(id, viewer.caller()))
                .chain(revoked -> agents.list())
                .map(list -> admin.getFragment("agents").data("agents", list).render());
    }

    /** Approves a device as the API does: audited, and its queue starts at once. */
    @POST
    @Path("devices/{id}/approve")
    public Uni<String> approveDevice(@PathParam("id") String id) {
        return signedIn.withRole(Roles.ADMIN)
                .chain(viewer -> devices.approve(id)
                        .map(found -> found.orElseThrow(() -> new NotFoundException("no device " + id)))
                        .call(device -> audit.record(
                                viewer.caller().describe(), "device.approved", id, "device " + device.getName())))
                .invoke(device -> afterCommit.devicesMayBeFree(List.of(id)))
                .chain(approved -> devices.pending(PENDING_DEVICES))
                .map(list -> admin.getFragment("devices").data("devices", list).render());
    }

    private Uni<String> tokens(String secret, String error) {
        return clientTokens
                .list()
                .map(list -> admin.getFragment("tokens")
                        .data("tokens", list)
                        .data("roles", List.of(Roles.VIEWER, Roles.SUBMITTER, Roles.ADMIN))
                        .data("created", secret)
                        .data("error", error)
                        .render());
    }

    private Uni<String> enrollment(String secret, String error) {
        return enrollmentTokens
                .list()
                .map(list -> admin.getFragment("enrollment")
                        .data("enrollmentTokens", list)
                        .data("created", secret)
                        .data("error", error)
                        .render());
    }

    private static Duration days(Long days) {
        if (days != null && (days < 0 || days > MAX_DAYS)) {
            throw new InvalidRequestException(
                    "expiresInDays", "between 1 and " + MAX_DAYS + ", or empty for a token that does not expire");
        }
        return AccessResource.lifetime(days == null ? null : days * 86_400L, Duration.ZERO);
    }

    private static Long hours(Long hours) {
        if (hours != null && (hours < 0 || hours > MAX_DAYS * 24)) {
            throw new InvalidRequestException(
                    "expiresInHours", "between 1 and " + MAX_DAYS * 24 + ", or empty for 24 hours");
        }
        return hours == null ? null : hours * 3_600L;
    }
}
