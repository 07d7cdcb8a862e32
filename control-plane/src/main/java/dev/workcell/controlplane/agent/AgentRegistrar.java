package dev.workcell.controlplane.agent;

import dev.workcell.controlplane.action.AfterCommit;
import dev.workcell.controlplane.action.Ledger;
import dev.workcell.controlplane.action.LedgerQueries;
import dev.workcell.controlplane.action.LostAttempts;
import dev.workcell.controlplane.cluster.Replicas;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.device.DeviceIdentity;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.dimension.DeviceDimensions;
import dev.workcell.controlplane.dimension.DimensionStore;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.PermissionDeniedException;
import dev.workcell.controlplane.security.Audit;
import dev.workcell.controlplane.worker.AgentSession;
import dev.workcell.controlplane.worker.TakeOvers;
import dev.workcell.controlplane.worker.WorkerStore;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.CancelTask;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.DeviceState;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.Welcome;
import dev.workcell.proto.v1.Worker;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Registers an agent's workers when it says hello (the original's Workers.Register) and settles
 * what it held before: attempts it still reports are resumed, attempts it no longer has are
 * queued again as the next attempt, attempts the ledger gave up on are abandoned. When the
 * stream ends, its workers leave the live set and their attempts start a grace period.
 */
@ApplicationScoped
public class AgentRegistrar {

    static final int MAX_NAME_LENGTH = 256;
    static final int MAX_LABELS = 64;
    static final int MAX_TARGETS = 1024;

    private final DeviceStore devices;
    private final WorkerStore workerStore;
    private final Workers workers;
    private final Ledger ledger;
    private final LedgerQueries queries;
    private final LostAttempts lostAttempts;
    private final AfterCommit afterCommit;
    private final Duration grace;
    private final Replicas replicas;
    private final Audit audit;
    private final TakeOvers takeOvers;
    private final DimensionStore dimensionStore;

    public AgentRegistrar(
            Audit audit,
            TakeOvers takeOvers,
            Replicas replicas,
            DeviceStore devices,
            WorkerStore workerStore,
            Workers workers,
            Ledger ledger,
            LedgerQueries queries,
            LostAttempts lostAttempts,
            AfterCommit afterCommit,
            WorkcellConfig config,
            DimensionStore dimensionStore) {
        this.dimensionStore = dimensionStore;
        this.devices = devices;
        this.workerStore = workerStore;
        this.workers = workers;
        this.ledger = ledger;
        this.queries = queries;
        this.lostAttempts = lostAttempts;
        this.afterCommit = afterCommit;
        this.grace = config.lease().grace();
        this.replicas = replicas;
        this.audit = audit;
        this.takeOvers = takeOvers;
    }

    /** Registers the session's workers, reconciles held attempts, sends Welcome, then dispatches. */
    public Uni<Void> hello(AgentSession session, Hello hello) {
        validate(hello);
        String claimed = DeviceIdentity.deviceId(hello.getHost());
        if (!claimed.equals(session.enrolledHostId())) {
            return audit.refused(
                            "agent " + session.agentId(),
                            "agent.refused",
                            claimed,
                            "hello as host " + claimed + " but enrolled for host " + session.enrolledHostId())
                    .chain(() -> Uni.createFrom()
                            .failure(new PermissionDeniedException("this agent enrolled for host "
                                    + session.enrolledHostId() + " and may not register as host " + claimed)));
        }
        // The workers take work only after the Welcome: a task claimed for them before reconcile
        // reads what they hold would be taken for a lost attempt and run a second time.
        return devices.upsert(hello.getHost())
                .invoke(host -> session.attach(host.getId(), host.getName()))
                .chain(host -> prepareTargets(session, hello.getTargetsList()))
                .invoke(live -> closeReplaced(
                        session,
                        workers.takeOver(live.stream().map(LiveWorker::id).toList())))
                .chain(live -> reconcile(session, infos(live), hello.getHeldList())
                        .invoke(welcome -> {
                            goLive(session, live);
                            afterWelcome(session, infos(live));
                        }))
                .replaceWithVoid();
    }

    /** The session's stream ended: its workers are no longer live; their attempts keep a lease for the grace period. */
    public Uni<Void> goodbye(AgentSession session) {
        List<String> gone = workers.unregister(session);
        if (gone.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return offline(gone)
                .invoke(leased -> Log.infof(
                        "%s disconnected; workers %s offline, %d attempts leased for %s", session, gone, leased, grace))
                .replaceWithVoid();
    }

    /** Registers target devices of a session as live workers, one per device, in the given order. */
    Uni<List<Worker>> addTargets(AgentSession session, List<TargetDevice> targets) {
        return prepareTargets(session, targets).map(live -> goLive(session, live));
    }

    /** Records the workers of target devices, live in the database and held by the session, but not yet dispatchable. */
    private Uni<List<LiveWorker>> prepareTargets(AgentSession session, List<TargetDevice> targets) {
        return Multi.createFrom()
                .iterable(targets)
                .onItem()
                .transformToUniAndConcatenate(target -> devices.upsert(target.getDevice())
                        .map(device -> new LiveWorker(
                                Worker.newBuilder()
                                        .setId(DeviceIdentity.workerId(session.hostId(), device.getId()))
                                        .setHost(session.hostId())
                                        .setTarget(device.getId())
                                        .setHostName(session.hostName())
                                        .setTargetName(device.getName())
                                        .addAllOperations(target.getOperationsList().stream()
                                                .distinct()
                                                .toList())
                                        .setLive(true)
                                        .setState(DeviceState.ONLINE)
                                        .build(),
                                device.getSerial(),
                                session,
                                DeviceDimensions.of(device, session.hostId(), session.hostName())))
                        .call(worker -> dimensionStore.record(worker.info().getTarget(), worker.dimensions())))
                .collect()
                .asList()
                .call(live -> workerStore.markLive(infos(live), replicas.id()))
                .invoke(live ->
                        takeOvers.takenHere(live.stream().map(LiveWorker::id).toList()))
                .invoke(live -> live.forEach(worker -> {
                    session.add(worker.targetSerial(), worker.info());
                    workers.setAvailable(worker.id(), true);
                }));
    }

    /** Makes the workers dispatchable through this session. */
    private List<Worker> goLive(AgentSession session, List<LiveWorker> live) {
        closeReplaced(session, workers.register(live));
        Log.infof(
                "registered %s: workers %s",
                session, live.stream().map(LiveWorker::id).toList());
        return infos(live);
    }

    private static void closeReplaced(AgentSession session, List<AgentSession> previous) {
        previous.stream().filter(old -> old != session).forEach(old -> {
            Log.infof("%s replaced by a new connection", old);
            old.close();
        });
    }

    private static List<Worker> infos(List<LiveWorker> live) {
        return live.stream().map(LiveWorker::info).toList();
    }

    /** Takes the workers of devices that left a session out of the live set; returns their ids. */
    Uni<List<String>> removeTargets(AgentSession session, List<String> serials) {
        List<String> gone = serials.stream()
                .map(session::remove)
                .flatMap(java.util.Optional::stream)
                .map(Worker::getId)
                .filter(workerId -> workers.unregister(session, workerId))
                .toList();
        if (gone.isEmpty()) {
            return Uni.createFrom().item(gone);
        }
        Log.infof("%s: devices %s left; workers %s offline", session, serials, gone);
        return offline(gone).replaceWith(gone);
    }

    /** Takes workers offline that this replica still holds; returns how many of their attempts were leased. */
    private Uni<Integer> offline(List<String> workerIds) {
        return workerStore.markOffline(workerIds, replicas.id(), grace);
    }

    private Uni<Welcome> reconcile(AgentSession session, List<Worker> registered, List<HeldAttempt> held) {
        Map<String, HeldAttempt> reported =
                held.stream().collect(Collectors.toMap(HeldAttempt::getActionId, Function.identity(), (a, b) -> a));
        List<String> workerIds = registered.stream().map(Worker::getId).toList();
        Welcome.Builder welcome = Welcome.newBuilder()
                .setHostId(session.hostId())
                .addAllWorkers(registered)
                .setAcceptsUpdateBatches(true);
        return queries.heldBy(workerIds)
                .onItem()
                .transformToMulti(actions -> Multi.createFrom().iterable(actions))
                .onItem()
                .transformToUniAndConcatenate(action -> {
                    HeldAttempt attempt = reported.remove(action.getId());
                    if (attempt != null && attempt.getAttempt() == action.getAttempt()) {
                        welcome.addResume(attempt);
                        return resume(action, attempt);
                    }
                    return lostAttempts
                            .settle(
                                    action,
                                    "worker " + action.getWorker() + " reconnected without attempt "
                                            + action.getAttempt())
                            .replaceWithVoid();
                })
                .collect()
                .last()
                .map(ignored -> {
                    welcome.addAllAbandon(reported.values());
                    Welcome built = welcome.build();
                    session.push(ControlMessage.newBuilder().setWelcome(built).build());
                    return built;
                });
    }

    private Uni<Void> resume(Action action, HeldAttempt attempt) {
        Uni<?> resumed = ledger.resume(action.getId(), action.getAttempt(), action.getWorker());
        if (attempt.getStatus() != action.getStatus()
                && attempt.getStatus() == dev.workcell.proto.v1.ActionStatus.RUNNING) {
            resumed = resumed.chain(() -> ledger.markRunning(action.getId(), action.getAttempt(), action.getWorker())
                    .invoke(running -> running.ifPresent(afterCommit::changed)));
        }
        Log.infof("resumed attempt %d of %s on worker %s", action.getAttempt(), action.getId(), action.getWorker());
        return resumed.replaceWithVoid();
    }

    private void afterWelcome(AgentSession session, List<Worker> registered) {
        queries.heldBy(registered.stream().map(Worker::getId).toList())
                .subscribe()
                .with(
                        held -> held.stream()
                                .filter(Action::getCancelRequested)
                                .forEach(action -> session.push(ControlMessage.newBuilder()
                                        .setCancel(CancelTask.newBuilder()
                                                .setActionId(action.getId())
                                                .setAttempt(action.getAttempt()))
                                        .build())),
                        failure -> Log.warnf(failure, "could not check pending cancels for %s", session));
        afterCommit.devicesMayBeFree(registered.stream().map(Worker::getTarget).toList());
    }

    private static void validate(Hello hello) {
        if (!hello.hasHost()
                || (hello.getHost().getName().isEmpty()
                        && hello.getHost().getSerial().isEmpty())) {
            throw new InvalidRequestException("hello.host", "required, with a name or a serial");
        }
        checkDevice("hello.host", hello.getHost());
        validateTargets("hello.targets", hello.getTargetsList());
    }

    /** A device's name and serial, which the ledger stores as text, and its labels: bounded in number and size. */
    public static void checkDevice(String field, dev.workcell.proto.v1.Device device) {
        dev.workcell.controlplane.validation.TextFields.check(field + ".name", device.getName(), MAX_NAME_LENGTH);
        dev.workcell.controlplane.validation.TextFields.check(field + ".serial", device.getSerial(), MAX_NAME_LENGTH);
        if (device.getLabelsCount() > MAX_LABELS) {
            throw new InvalidRequestException(field + ".labels", "at most " + MAX_LABELS + " labels");
        }
        device.getLabelsMap().forEach((key, value) -> {
            dev.workcell.controlplane.validation.TextFields.check(field + ".labels key", key, MAX_NAME_LENGTH);
            dev.workcell.controlplane.validation.TextFields.check(
                    field + ".labels[" + key + "]", value, MAX_NAME_LENGTH);
        });
    }

    static void validateTargets(String field, List<TargetDevice> targets) {
        if (targets.size() > MAX_TARGETS) {
            throw new InvalidRequestException(field, "at most " + MAX_TARGETS + " target devices per host");
        }
        for (int i = 0; i < targets.size(); i++) {
            TargetDevice target = targets.get(i);
            if (target.getDevice().getName().isEmpty()
                    && target.getDevice().getSerial().isEmpty()) {
                throw new InvalidRequestException(field + "[" + i + "].device", "required, with a name or a serial");
            }
            checkDevice(field + "[" + i + "].device", target.getDevice());
            if (target.getOperationsCount() == 0) {
                throw new InvalidRequestException(
                        field + "[" + i + "].operations", "at least one operation is required");
            }
            if (target.getOperationsList().stream()
                    .anyMatch(op -> op == Operation.OPERATION_UNSPECIFIED || op == Operation.UNRECOGNIZED)) {
                throw new InvalidRequestException(field + "[" + i + "].operations", "unknown operation");
            }
        }
    }
}
