package dev.workcell.controlplane.security;

import dev.workcell.controlplane.errors.InvalidRequestException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestResponse;

/** Who may access Workcell, for admins: client tokens, enrollment tokens, enrolled agents, the audit trail. */
@Path("/api/v1")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AccessResource {

    static final Duration MAX_LIFETIME = Duration.ofDays(3650);
    public static final Duration DEFAULT_ENROLLMENT_LIFETIME = Duration.ofHours(24);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._@:/-]{0,99}");

    /** POST /tokens: expiresInSeconds 0 or absent for a token that does not expire. */
    public record NewClientToken(String name, String role, Long expiresInSeconds) {}

    /** POST /enrollment-tokens: expiresInSeconds defaults to 24 h. */
    public record NewEnrollmentToken(String pool, List<String> labels, Boolean reusable, Long expiresInSeconds) {}

    /** The secret of a token just created: shown this once, stored only hashed. */
    public record Secret<T>(T token, String secret) {}

    /** Who the caller is, as the server sees it. */
    public record WhoAmI(String id, String name, List<String> roles) {}

    private final ClientTokens clientTokens;
    private final EnrollmentTokens enrollmentTokens;
    private final EnrolledAgents agents;
    private final Audit audit;
    private final CurrentCaller caller;

    public AccessResource(
            ClientTokens clientTokens,
            EnrollmentTokens enrollmentTokens,
            EnrolledAgents agents,
            Audit audit,
            CurrentCaller caller) {
        this.clientTokens = clientTokens;
        this.enrollmentTokens = enrollmentTokens;
        this.agents = agents;
        this.audit = audit;
        this.caller = caller;
    }

    @GET
    @Path("whoami")
    @RolesAllowed({Roles.VIEWER, Roles.AGENT})
    public Uni<WhoAmI> whoami() {
        return caller.get()
                .map(who -> new WhoAmI(
                        who.id(), who.name(), who.roles().stream().sorted().toList()));
    }

    /** Role names are accepted in any case, as enum values are, and kept in lower case. */
    private static String role(NewClientToken request) {
        return request.role().trim().toLowerCase(java.util.Locale.ROOT);
    }

    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Secret<ClientTokens.Token>>> createToken(NewClientToken request) {
        return Uni.createFrom()
                .item(() -> {
                    if (request == null) {
                        throw new InvalidRequestException(
                                "body", "required: {\"name\": ..., \"role\": \"viewer|submitter|admin\"}");
                    }
                    requireName("name", request.name());
                    if (request.role() == null || !Roles.isClientRole(role(request))) {
                        throw new InvalidRequestException("role", "must be viewer, submitter or admin");
                    }
                    return lifetime(request.expiresInSeconds(), Duration.ZERO);
                })
                .chain(lifetime ->
                        caller.get().chain(by -> clientTokens.create(request.name(), role(request), lifetime, by)))
                .map(created -> RestResponse.status(
                        RestResponse.Status.CREATED, new Secret<>(created.token(), created.secret())));
    }

    @GET
    @Path("tokens")
    public Uni<List<ClientTokens.Token>> tokens() {
        return clientTokens.list();
    }

    @DELETE
    @Path("tokens/{id}")
    public Uni<ClientTokens.Token> revokeToken(@PathParam("id") String id) {
        return caller.get().chain(by -> clientTokens.revoke(id, by));
    }

    @POST
    @Path("enrollment-tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Secret<EnrollmentTokens.Token>>> createEnrollmentToken(NewEnrollmentToken request) {
        return Uni.createFrom()
                .item(() -> {
                    if (request == null) {
                        throw new InvalidRequestException(
                                "body", "required: {\"pool\": ..., \"labels\": [...], \"reusable\": false}");
                    }
                    requireName("pool", request.pool());
                    List<String> labels = request.labels() == null ? List.of() : request.labels();
                    if (labels.size() > 32) {
                        throw new InvalidRequestException("labels", "at most 32 labels");
                    }
                    labels.forEach(label -> requireName("labels", label));
                    return lifetime(request.expiresInSeconds(), DEFAULT_ENROLLMENT_LIFETIME);
                })
                .chain(lifetime -> caller.get()
                        .chain(by -> enrollmentTokens.create(
                                request.pool(),
                                request.labels() == null ? List.of() : request.labels(),
                                Boolean.TRUE.equals(request.reusable()),
                                lifetime,
                                by)))
                .map(created -> RestResponse.status(
                        RestResponse.Status.CREATED, new Secret<>(created.token(), created.secret())));
    }

    @GET
    @Path("enrollment-tokens")
    public Uni<List<EnrollmentTokens.Token>> enrollmentTokens() {
        return enrollmentTokens.list();
    }

    @DELETE
    @Path("enrollment-tokens/{id}")
    public Uni<EnrollmentTokens.Token> revokeEnrollmentToken(@PathParam("id") String id) {
        return caller.get().chain(by -> enrollmentTokens.revoke(id, by));
    }

    @GET
    @Path("agents")
    public Uni<List<EnrolledAgents.Agent>> agents() {
        return agents.list();
    }

    /** Revokes an agent's credential and closes its streams at once, on every replica. */
    @DELETE
    @Path("agents/{id}")
    public Uni<EnrolledAgents.Agent> revokeAgent(@PathParam("id") String id) {
        return caller.get().chain(by -> agents.revoke(id, by));
    }

    @GET
    @Path("audit")
    public Uni<List<Audit.Event>> audit(@QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            return Uni.createFrom().failure(new InvalidRequestException("limit", "must be between 1 and 1000"));
        }
        return audit.latest(limit);
    }

    /** A token's name, an enrollment pool or label as the API accepts them; the dashboard's forms check the same. */
    public static void requireName(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new InvalidRequestException(
                    field, "1 to 100 characters: letters, digits, space and ._@:/- (not first)");
        }
    }

    /** A requested lifetime in seconds (0 or absent: the fallback), as the API and the dashboard's forms accept it. */
    public static Duration lifetime(Long seconds, Duration fallback) {
        if (seconds == null || seconds == 0) {
            return fallback;
        }
        if (seconds < 0 || seconds > MAX_LIFETIME.toSeconds()) {
            throw new InvalidRequestException("expiresInSeconds", "must be between 1 and " + MAX_LIFETIME.toSeconds());
        }
        return Duration.ofSeconds(seconds);
    }
}
