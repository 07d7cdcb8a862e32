package dev.workcell.controlplane.api;

import dev.workcell.controlplane.action.ActionIds;
import dev.workcell.controlplane.action.ActionLookup;
import dev.workcell.controlplane.action.BatchSubmits;
import dev.workcell.controlplane.action.Cancellations;
import dev.workcell.controlplane.action.Manager;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.log.ActionLogs;
import dev.workcell.controlplane.pending.WhyPendingAnswers;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.controlplane.worker.WorkerStore;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionService;
import dev.workcell.proto.v1.CancelActionRequest;
import dev.workcell.proto.v1.GetActionRequest;
import dev.workcell.proto.v1.GetLogRequest;
import dev.workcell.proto.v1.GetPendingRequest;
import dev.workcell.proto.v1.ListActionEventsRequest;
import dev.workcell.proto.v1.ListActionEventsResponse;
import dev.workcell.proto.v1.ListActionsRequest;
import dev.workcell.proto.v1.ListActionsResponse;
import dev.workcell.proto.v1.ListDevicesRequest;
import dev.workcell.proto.v1.ListDevicesResponse;
import dev.workcell.proto.v1.ListWorkersRequest;
import dev.workcell.proto.v1.ListWorkersResponse;
import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.SubmitActionResponse;
import dev.workcell.proto.v1.SubmitActionsRequest;
import dev.workcell.proto.v1.SubmitActionsResponse;
import dev.workcell.proto.v1.WatchActionsRequest;
import dev.workcell.proto.v1.WhyPending;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;

/** The client API over gRPC. */
@GrpcService
@RolesAllowed(Roles.VIEWER)
@RegisterInterceptor(StalledWatchers.class)
@RegisterInterceptor(CancelledCalls.class)
public class ActionGrpcService implements ActionService {

    private final Manager manager;
    private final Cancellations cancellations;
    private final ActionLookup lookup;
    private final ActionLogs logs;
    private final DeviceStore devices;
    private final WorkerStore workers;
    private final CurrentCaller caller;
    private final BatchSubmits batches;
    private final WhyPendingAnswers whyPending;

    public ActionGrpcService(
            Manager manager,
            Cancellations cancellations,
            ActionLookup lookup,
            ActionLogs logs,
            DeviceStore devices,
            WorkerStore workers,
            CurrentCaller caller,
            BatchSubmits batches,
            WhyPendingAnswers whyPending) {
        this.batches = batches;
        this.caller = caller;
        this.whyPending = whyPending;
        this.manager = manager;
        this.cancellations = cancellations;
        this.lookup = lookup;
        this.logs = logs;
        this.devices = devices;
        this.workers = workers;
    }

    @Override
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<SubmitActionResponse> submit(SubmitActionRequest request) {
        return caller.get().chain(who -> manager.submit(request, who));
    }

    @Override
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<SubmitActionsResponse> submitBatch(SubmitActionsRequest request) {
        return caller.get()
                .chain(who -> batches.submit(request.getItemsList(), who))
                .map(BatchResults::of);
    }

    @Override
    public Uni<Action> get(GetActionRequest request) {
        return lookup.get(request.getId());
    }

    @Override
    public Uni<ListActionsResponse> list(ListActionsRequest request) {
        return lookup.list(request);
    }

    @Override
    public Uni<ListActionEventsResponse> events(ListActionEventsRequest request) {
        return lookup.events(request.getId())
                .map(events -> ListActionEventsResponse.newBuilder()
                        .addAllEvents(events)
                        .build());
    }

    @Override
    public Multi<Action> watch(WatchActionsRequest request) {
        return lookup.watch(request);
    }

    @Override
    @RolesAllowed(Roles.SUBMITTER)
    public Uni<Action> cancel(CancelActionRequest request) {
        Uni<Caller> who = caller.get();
        return Uni.createFrom()
                .item(() -> ActionIds.requireValid("id", request.getId()))
                .chain(id -> who.chain(by -> cancellations.cancel(id, by)));
    }

    @Override
    public Uni<WhyPending> pending(GetPendingRequest request) {
        return whyPending.explain(request.getId());
    }

    @Override
    public Multi<LogChunk> logs(GetLogRequest request) {
        return logs.read(request);
    }

    @Override
    public Uni<ListDevicesResponse> listDevices(ListDevicesRequest request) {
        return devices.list()
                .map(list ->
                        ListDevicesResponse.newBuilder().addAllDevices(list).build());
    }

    @Override
    public Uni<ListWorkersResponse> listWorkers(ListWorkersRequest request) {
        return workers.list()
                .map(list ->
                        ListWorkersResponse.newBuilder().addAllWorkers(list).build());
    }
}
