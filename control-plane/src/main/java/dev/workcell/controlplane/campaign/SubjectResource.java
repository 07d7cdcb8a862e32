package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.CreateSubjectRequest;
import dev.workcell.proto.v1.ListSubjectsResponse;
import dev.workcell.proto.v1.Subject;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;

/** Subjects over REST, same semantics as CampaignService's subject calls: submitters create, replace and delete, viewers read. */
@Path("/api/v1/subjects")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class SubjectResource {

    private final Subjects subjects;
    private final CurrentCaller caller;

    public SubjectResource(Subjects subjects, CurrentCaller caller) {
        this.subjects = subjects;
        this.caller = caller;
    }

    /** 201 with the new subject. */
    @POST
    @RolesAllowed(Roles.SUBMITTER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Subject>> create(CreateSubjectRequest request) {
        return caller.get()
                .chain(by -> subjects.create(request, by))
                .map(created -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, created)
                        .location(URI.create("/api/v1/subjects/" + created.getId()))
                        .build());
    }

    @GET
    public Uni<ListSubjectsResponse> list() {
        return subjects.list()
                .map(all ->
                        ListSubjectsResponse.newBuilder().addAllSubjects(all).build());
    }

    @GET
    @Path("{id}")
    public Uni<Subject> get(@PathParam("id") String id) {
        return subjects.get(id);
    }

    /** Replaces the subject's fields (the body is a create request); its campaigns trace the new package from their next run. */
    @PUT
    @Path("{id}")
    @RolesAllowed(Roles.SUBMITTER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Subject> update(@PathParam("id") String id, CreateSubjectRequest request) {
        return caller.get()
                .chain(by ->
                        subjects.update(id, request == null ? CreateSubjectRequest.getDefaultInstance() : request, by));
    }

    /** The deleted subject; 409 while a campaign names it. */
    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<Subject> delete(@PathParam("id") String id) {
        return caller.get().chain(by -> subjects.delete(id, by));
    }
}
