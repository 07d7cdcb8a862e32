package dev.workcell.controlplane.agent;

import dev.workcell.controlplane.action.ActionIds;
import dev.workcell.controlplane.action.TaskUpdates;
import dev.workcell.controlplane.cluster.ReplicaDrain;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.limits.TokenBuckets;
import dev.workcell.controlplane.log.LogStore;
import dev.workcell.controlplane.metrics.WorkcellMetrics;
import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.EnrolledAgents;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.controlplane.worker.AgentSession;
import dev.workcell.controlplane.worker.ClosedConnections;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.EnrollRequest;
import dev.workcell.proto.v1.EnrollResponse;
import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;
import dev.workcell.proto.v1.TaskUpdateBatch;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent stream: Hello first, then task updates and heartbeats, handled one at a time in
 * arrival order; tasks, cancels and acknowledgements go back on the same stream. However the
 * stream ends (or its connection closes, see {@link ClosedConnections}), the session's workers
 * leave the live set exactly once.
 */
@GrpcService
@RegisterInterceptor(ClosedConnections.class)
public class AgentChannel implements AgentService {

    static final int MAX_LOG_CHUNK_BYTES = 64 * 1024;
    /** Updates one update_batch may hold; agents send far fewer. */
    static final int MAX_UPDATES_PER_BATCH = 1024;

    private static final ControlMessage HEARTBEAT_ANSWER = ControlMessage.newBuilder()
            .setHeartbeat(dev.workcell.proto.v1.Heartbeat.getDefaultInstance())
            .build();

    private final AgentRegistrar registrar;
    private final TaskUpdates updates;
    private final DeviceReports deviceReports;
    private final LogStore logs;
    private final CurrentCaller caller;
    private final EnrolledAgents agents;
    private final Set<AgentSession> open = ConcurrentHashMap.newKeySet();
    private final TokenBuckets logChunks;
    private final WorkcellMetrics metrics;

    public AgentChannel(
            AgentRegistrar registrar,
            TaskUpdates updates,
            DeviceReports deviceReports,
            LogStore logs,
            CurrentCaller caller,
            EnrolledAgents agents,
            WorkcellConfig config,
            WorkcellMetrics metrics) {
        this.metrics = metrics;
        this.logChunks = new TokenBuckets(
                config.limits().logChunksPerSecond(), 2 * config.limits().logChunksPerSecond());
        this.registrar = registrar;
        this.updates = updates;
        this.deviceReports = deviceReports;
        this.logs = logs;
        this.caller = caller;
        this.agents = agents;
        agents.onRevoked(this::cutOff);
    }

    @Override
    @PermitAll
    public Uni<EnrollResponse> enroll(EnrollRequest request) {
        return Uni.createFrom()
                .item(request)
                .invoke(AgentChannel::validate)
                .chain(valid -> agents.enroll(valid.getEnrollmentToken(), valid.getHost()))
                .map(enrolled -> EnrollResponse.newBuilder()
                        .setAgentId(enrolled.agent().id())
                        .setCredential(enrolled.credential())
                        .setHostId(enrolled.agent().hostId())
                        .setPool(enrolled.agent().pool())
                        .addAllLabels(enrolled.agent().labels())
                        .build());
    }

    @Override
    @RolesAllowed(Roles.AGENT)
    public Multi<ControlMessage> connect(Multi<AgentMessage> incoming) {
        return caller.get()
                .onItem()
                .transformToMulti(agent -> Multi.createFrom()
                        .emitter(outbound -> serve(new AgentSession(outbound, agent), outbound, incoming)));
    }

    private static void validate(EnrollRequest request) {
        if (request.getEnrollmentToken().isEmpty()) {
            throw new dev.workcell.controlplane.errors.InvalidRequestException("enrollment_token", "required");
        }
        if (!request.hasHost()
                || (request.getHost().getName().isEmpty()
                        && request.getHost().getSerial().isEmpty())) {
            throw new dev.workcell.controlplane.errors.InvalidRequestException(
                    "host", "required, with a name or a serial");
        }
        HelloChecks.checkDevice("host", request.getHost());
    }

    /** Ends every stream of a revoked agent on this replica. */
    private void cutOff(String agentId) {
        open.stream().filter(session -> session.agentId().equals(agentId)).forEach(session -> {
            Log.infof("%s: agent %s revoked, stream closed", session, agentId);
            session.fail(Status.PERMISSION_DENIED.withDescription("the agent's credential was revoked"));
        });
    }

    /**
     * Hands this draining replica's agents to the others: each stream ends with UNAVAILABLE, which
     * the agent answers by reconnecting at once, through the Service, to another replica. Its
     * running tasks go on; it reports them there as held attempts.
     */
    void handOver(@Observes ReplicaDrain.HandOver event, ReplicaDrain drain) {
        Log.infof("handing over %d agent streams to the other replicas", open.size());
        Status draining = Status.UNAVAILABLE.withDescription(drain.refusal().getMessage());
        open.forEach(session -> session.fail(draining));
    }

    private void serve(
            AgentSession session, MultiEmitter<? super ControlMessage> outbound, Multi<AgentMessage> incoming) {
        open.add(session);
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                open.remove(session);
                registrar
                        .goodbye(session)
                        .subscribe()
                        .with(ignored -> {}, failure -> Log.warnf(failure, "could not record the end of %s", session));
            }
        };
        outbound.onTermination(end);
        incoming.onItem()
                .transformToUniAndConcatenate(message -> handle(session, message))
                .subscribe()
                .with(
                        ignored -> {},
                        failure -> {
                            Log.infof("%s ended: %s", session, failure.getMessage());
                            metrics.streamReset(failure);
                            if (!outbound.isCancelled()) { // a cancelled call has no one left to tell
                                outbound.fail(failure);
                            }
                            end.run();
                        },
                        () -> {
                            outbound.complete();
                            end.run();
                        });
    }

    private Uni<Void> handle(AgentSession session, AgentMessage message) {
        session.heard();
        return switch (message.getKindCase()) {
            case HELLO ->
                session.registered()
                        ? Uni.createFrom()
                                .failure(Status.FAILED_PRECONDITION
                                        .withDescription("hello sent twice on one stream")
                                        .asRuntimeException())
                        : Uni.createFrom().deferred(() -> registrar.hello(session, message.getHello()));
            case UPDATE ->
                session.registered()
                        ? updates.apply(session, message.getUpdate())
                                .invoke(ack -> session.push(
                                        ControlMessage.newBuilder().setAck(ack).build()))
                                .replaceWithVoid()
                        : notRegistered();
            case UPDATE_BATCH ->
                session.registered() ? updateBatch(session, message.getUpdateBatch()) : notRegistered();
            case HEARTBEAT ->
                session.registered()
                        ? deviceReports
                                .heartbeat(session, message.getHeartbeat())
                                .invoke(() -> session.push(HEARTBEAT_ANSWER))
                        : notRegistered();
            case DEVICES ->
                session.registered()
                        ? Uni.createFrom().deferred(() -> deviceReports.devicesChanged(session, message.getDevices()))
                        : notRegistered();
            case LOG -> session.registered() ? log(session, message.getLog()) : notRegistered();
            case KIND_NOT_SET ->
                Uni.createFrom()
                        .failure(Status.INVALID_ARGUMENT
                                .withDescription(
                                        "agent message: kind not set (hello, update, update_batch or heartbeat)")
                                .asRuntimeException());
        };
    }

    /** Applies each update of a batch, acknowledging each on its own; a batch larger than an agent ever sends ends the stream. */
    private Uni<Void> updateBatch(AgentSession session, TaskUpdateBatch batch) {
        if (batch.getUpdatesCount() > MAX_UPDATES_PER_BATCH) {
            return Uni.createFrom()
                    .failure(Status.INVALID_ARGUMENT
                            .withDescription("update_batch: at most " + MAX_UPDATES_PER_BATCH + " updates, got "
                                    + batch.getUpdatesCount())
                            .asRuntimeException());
        }
        return updates.applyAll(session, batch.getUpdatesList())
                .onItem()
                .invoke(ack ->
                        session.push(ControlMessage.newBuilder().setAck(ack).build()))
                .onItem()
                .ignoreAsUni();
    }

    /** Stores a live log chunk of an attempt this stream holds; anything else is dropped, not fatal to the stream. */
    private Uni<Void> log(AgentSession session, LogChunk chunk) {
        if (!ActionIds.isValid(chunk.getActionId())
                || chunk.getOffset() < 0
                || chunk.getStream() == LogStream.UNRECOGNIZED
                || chunk.getStream() == LogStream.LOG_STREAM_UNSPECIFIED
                || chunk.getData().size() > MAX_LOG_CHUNK_BYTES) {
            Log.warnf(
                    "dropped a malformed log chunk from %s (action '%s', %d bytes)",
                    session, chunk.getActionId(), chunk.getData().size());
            return Uni.createFrom().voidItem();
        }
        if (!logChunks.tryTake(session.id())) {
            Log.debugf(
                    "dropped a log chunk of %s from %s: over %s chunks per second",
                    chunk.getActionId(), session, "workcell.limits.log-chunks-per-second");
            return Uni.createFrom().voidItem();
        }
        return logs.append(chunk, session.registeredWorkerIds())
                .invoke(held -> {
                    if (!held) {
                        Log.debugf(
                                "dropped a log chunk of %s attempt %d from %s: not held",
                                chunk.getActionId(), chunk.getAttempt(), session);
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<Void> notRegistered() {
        return Uni.createFrom()
                .failure(Status.FAILED_PRECONDITION
                        .withDescription("the first message on an agent stream must be hello")
                        .asRuntimeException());
    }
}
