package dev.workcell.controlplane.agent;

import dev.workcell.controlplane.action.AfterCommit;
import dev.workcell.controlplane.device.DeviceIdentity;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.errors.PermissionDeniedException;
import dev.workcell.controlplane.security.Audit;
import dev.workcell.controlplane.worker.AgentSession;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Worker;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Registers an agent's workers when it says hello (the original's Workers.Register): its host, then
 * its target devices ({@link TargetRegistrations}), then settles what it held before
 * ({@link HeldAttempts}) and welcomes it. When the stream ends, its workers leave the live set and
 * their attempts start a grace period.
 */
@ApplicationScoped
public class AgentRegistrar {

    private final Audit audit;
    private final DeviceStore devices;
    private final Workers workers;
    private final TargetRegistrations targets;
    private final HeldAttempts heldAttempts;
    private final AfterCommit afterCommit;

    public AgentRegistrar(
            Audit audit,
            DeviceStore devices,
            Workers workers,
            TargetRegistrations targets,
            HeldAttempts heldAttempts,
            AfterCommit afterCommit) {
        this.audit = audit;
        this.devices = devices;
        this.workers = workers;
        this.targets = targets;
        this.heldAttempts = heldAttempts;
        this.afterCommit = afterCommit;
    }

    /** Registers the session's workers, reconciles held attempts, sends Welcome, then dispatches. */
    public Uni<Void> hello(AgentSession session, Hello hello) {
        HelloChecks.check(hello);
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
                .chain(host -> targets.prepare(session, hello.getTargetsList()))
                .invoke(live -> TargetRegistrations.closeReplaced(
                        session,
                        workers.takeOver(live.stream().map(LiveWorker::id).toList())))
                .chain(live -> heldAttempts
                        .reconcile(session, TargetRegistrations.infos(live), hello.getHeldList())
                        .invoke(welcome -> {
                            List<Worker> registered = targets.goLive(session, live);
                            heldAttempts.resendCancels(session, registered);
                            afterCommit.devicesMayBeFree(
                                    registered.stream().map(Worker::getTarget).toList());
                        }))
                .replaceWithVoid();
    }

    /** The session's stream ended: its workers are no longer live; their attempts keep a lease for the grace period. */
    public Uni<Void> goodbye(AgentSession session) {
        List<String> gone = workers.unregister(session);
        if (gone.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return targets.offline(gone)
                .invoke(leased -> Log.infof(
                        "%s disconnected; workers %s offline, %d attempts leased for %s",
                        session, gone, leased, targets.grace()))
                .replaceWithVoid();
    }
}
