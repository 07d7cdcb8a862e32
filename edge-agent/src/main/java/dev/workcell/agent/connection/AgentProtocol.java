package dev.workcell.agent.connection;

import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.device.AgentDevices;
import dev.workcell.agent.device.DeviceDiscovery;
import dev.workcell.agent.task.AttemptKey;
import dev.workcell.agent.task.HeldAttempts;
import dev.workcell.agent.task.TaskRunner;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import dev.workcell.proto.v1.Welcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** The agent's side of each stream: Hello first, then the answer to every Welcome, Task, CancelTask, UpdateAck and WorkersChanged. */
@ApplicationScoped
public class AgentProtocol {

    private static final Logger LOG = Logger.getLogger(AgentProtocol.class);

    private final DeviceDiscovery devices;
    private final TaskRunner tasks;
    private final HeldAttempts held;
    private final ResultDelivery results;
    private final AgentConfig config;
    private final Heartbeats heartbeats;
    private volatile Session current;

    AgentProtocol(
            DeviceDiscovery devices,
            TaskRunner tasks,
            HeldAttempts held,
            ResultDelivery results,
            AgentConfig config,
            Heartbeats heartbeats) {
        this.devices = devices;
        this.tasks = tasks;
        this.held = held;
        this.results = results;
        this.config = config;
        this.heartbeats = heartbeats;
    }

    /**
     * Starts a session whose Hello lists what the agent holds and serves now; task updates go to it
     * from now on. Devices are scanned again at once: what changed is announced after the Welcome.
     */
    Session newSession() {
        current = new Session(hello(), config.heartbeatInterval(), heartbeats::now);
        devices.rescan();
        return current;
    }

    /** The session updates go to; empty before the first. */
    Session current() {
        return current;
    }

    /** Acts on one message from the control plane; never blocks (what writes the outbox runs on the courier). */
    void handle(Session session, ControlMessage message) {
        switch (message.getKindCase()) {
            case WELCOME -> welcome(session, message.getWelcome());
            case TASK -> tasks.start(message.getTask(), this::report, results::onCourier);
            case CANCEL -> tasks.cancel(AttemptKey.of(message.getCancel()));
            case ACK -> acknowledge(message.getAck());
            case HEARTBEAT -> LOG.tracef("the control plane answered a heartbeat");
            case WORKERS ->
                LOG.infof(
                        "workers changed: added %s, removed %s",
                        session.workersAdded(message.getWorkers()),
                        message.getWorkers().getRemovedList());
            default -> LOG.warnf("ignoring a control message of unknown kind: %s", message);
        }
    }

    /** The targets as announced to the control plane: each device, with the configured labels, and the operations this agent runs. */
    List<TargetDevice> targets(AgentDevices devices) {
        return devices.targets().stream()
                .map(device -> TargetDevice.newBuilder()
                        .setDevice(device.toBuilder().putAllLabels(config.labels()))
                        .addAllOperations(tasks.operations())
                        .build())
                .toList();
    }

    private Hello hello() {
        AgentDevices now = devices.current();
        return Hello.newBuilder()
                .setHost(now.host())
                .addAllTargets(targets(now))
                .addAllHeld(held.list())
                .setAgentVersion(config.version())
                .build();
    }

    /**
     * Stops and forgets what the control plane gave up on, keeps the rest (resumed or not named),
     * then delivers again every final update not yet acknowledged, from the outbox.
     */
    private void welcome(Session session, Welcome welcome) {
        welcome.getAbandonList().forEach(attempt -> tasks.abandon(AttemptKey.of(attempt), results::onCourier));
        session.welcomed(welcome);
        LOG.infof(
                "registered with control plane: host %s, workers %s",
                welcome.getHostId(), workers(session.hello(), welcome));
        results.welcomed(session);
        session.announce(targets(devices.current()));
    }

    /** RUNNING goes out at once; a final update is already in the outbox, which delivers it in order. */
    private void report(TaskUpdate update) {
        if (update.getStatus() == ActionStatus.RUNNING) {
            current.send(update);
        } else {
            results.deliver();
        }
    }

    private void acknowledge(UpdateAck ack) {
        if (!ack.getAccepted()) {
            LOG.warnf(
                    "the control plane refused the %s update of %s: %s",
                    ack.getStatus(), AttemptKey.of(ack), ack.getReason());
        }
        results.acknowledged(ack);
    }

    /** Each worker id with the serial of its target (Welcome lists workers in the order of Hello's targets). */
    private static List<String> workers(Hello hello, Welcome welcome) {
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < welcome.getWorkersCount(); i++) {
            String serial = i < hello.getTargetsCount()
                    ? hello.getTargets(i).getDevice().getSerial()
                    : "?";
            workers.add(welcome.getWorkers(i).getId() + " (" + serial + ")");
        }
        return workers;
    }
}
