package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.api.CancelledCalls;
import dev.workcell.controlplane.api.StalledWatchers;
import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.Campaign;
import dev.workcell.proto.v1.CampaignGrid;
import dev.workcell.proto.v1.CampaignGridCell;
import dev.workcell.proto.v1.CampaignGridRequest;
import dev.workcell.proto.v1.CampaignService;
import dev.workcell.proto.v1.CreateCampaignRequest;
import dev.workcell.proto.v1.CreateSubjectRequest;
import dev.workcell.proto.v1.DeleteCampaignRequest;
import dev.workcell.proto.v1.DeleteSubjectRequest;
import dev.workcell.proto.v1.GetCampaignRequest;
import dev.workcell.proto.v1.GetSubjectRequest;
import dev.workcell.proto.v1.ListCampaignsRequest;
import dev.workcell.proto.v1.ListCampaignsResponse;
import dev.workcell.proto.v1.ListSubjectsRequest;
import dev.workcell.proto.v1.ListSubjectsResponse;
import dev.workcell.proto.v1.RunCampaignRequest;
import dev.workcell.proto.v1.RunCampaignResponse;
import dev.workcell.proto.v1.Subject;
import dev.workcell.proto.v1.UpdateCampaignRequest;
import dev.workcell.proto.v1.UpdateSubjectRequest;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;

/** Subjects and campaigns over gRPC, the twin of {@link SubjectResource} and {@link CampaignResource}. */
@GrpcService
@RolesAllowed(Roles.VIEWER)
@RegisterInterceptor(StalledWatchers.class)
@RegisterInterceptor(CancelledCalls.class)
public class CampaignGrpcService implements CampaignService {

    private final Subjects subjects;
    private final Campaigns campaigns;
    private final CampaignRuns runs;
    private final CampaignGrids grids;
    private final CurrentCaller caller;

    public CampaignGrpcService(
            Subjects subjects, Campaigns campaigns, CampaignRuns runs, CampaignGrids grids, CurrentCaller caller) {
        this.subjects = subjects;
        this.campaigns = campaigns;
        this.runs = runs;
        this.grids = grids;
        this.caller = caller;
    }

    @Override
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<Subject> createSubject(CreateSubjectRequest request) {
        return caller.get().chain(by -> subjects.create(request, by));
    }

    @Override
    public Uni<Subject> getSubject(GetSubjectRequest request) {
        return subjects.get(request.getId());
    }

    @Override
    public Uni<ListSubjectsResponse> listSubjects(ListSubjectsRequest request) {
        return subjects.list()
                .map(all ->
                        ListSubjectsResponse.newBuilder().addAllSubjects(all).build());
    }

    @Override
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<Campaign> createCampaign(CreateCampaignRequest request) {
        return caller.get().chain(by -> campaigns.create(request, by));
    }

    @Override
    public Uni<Campaign> getCampaign(GetCampaignRequest request) {
        return campaigns.get(request.getId());
    }

    @Override
    public Uni<ListCampaignsResponse> listCampaigns(ListCampaignsRequest request) {
        return campaigns
                .list()
                .map(all ->
                        ListCampaignsResponse.newBuilder().addAllCampaigns(all).build());
    }

    @Override
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<RunCampaignResponse> runCampaign(RunCampaignRequest request) {
        return caller.get().chain(by -> runs.run(request.getId(), by));
    }

    @Override
    public Uni<CampaignGrid> grid(CampaignGridRequest request) {
        return Uni.createFrom()
                .item(() -> CampaignGrids.Axes.of(request))
                .chain(axes -> grids.grid(request.getId(), axes));
    }

    @Override
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<Subject> updateSubject(UpdateSubjectRequest request) {
        return caller.get().chain(by -> subjects.update(request.getId(), request.getSubject(), by));
    }

    @Override
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<Subject> deleteSubject(DeleteSubjectRequest request) {
        return caller.get().chain(by -> subjects.delete(request.getId(), by));
    }

    @Override
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<Campaign> updateCampaign(UpdateCampaignRequest request) {
        return caller.get().chain(by -> campaigns.update(request.getId(), request.getCampaign(), by));
    }

    @Override
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<Campaign> deleteCampaign(DeleteCampaignRequest request) {
        return caller.get().chain(by -> campaigns.delete(request.getId(), by));
    }

    @Override
    public Multi<CampaignGridCell> watchGrid(CampaignGridRequest request) {
        return Uni.createFrom()
                .item(() -> CampaignGrids.Axes.of(request))
                .onItem()
                .transformToMulti(axes -> grids.watch(request.getId(), axes));
    }
}
