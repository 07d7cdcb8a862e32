package dev.workcell.agent.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.device.AgentDevices;
import dev.workcell.agent.task.AttemptKey;
import dev.workcell.agent.task.HeldAttempts;
import dev.workcell.agent.task.TaskRunner;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import dev.workcell.proto.v1.Welcome;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The agent's main loop: keeps one stream open to the control plane, reconnecting with backoff for
 * as long as the agent runs, and turns what the control plane says into work. Tasks keep running
 * while disconnected; their final updates are held until acknowledged.
 */
@ApplicationScoped
public class ControlPlaneConnection {

    private static final Logger LOG = Logger.getLogger(ControlPlaneConnection.class);

    private final AgentService controlPlane;
    private final AgentDevices devices;
    private final TaskRunner tasks;
    private final HeldAttempts held;
    private final AgentConfig config;
    private final ReconnectBackoff backoff;
    private final String address;
    private volatile Session current;
    private volatile Cancellable loop;

    ControlPlaneConnection(@GrpcClient("control-plane") AgentService controlPlane, AgentDevices devices, TaskRunner tasks,
            HeldAttempts held, AgentConfig config,
            @ConfigProperty(name = "quarkus.grpc.clients.control-plane.host") String host,
            @ConfigProperty(name = "quarkus.grpc.clients.control-plane.port") int port) {
        this.controlPlane = controlPlane;
        this.devices = devices;
        this.tasks = tasks;
        this.held = held;
        this.config = config;
        this.backoff = new ReconnectBackoff(config.reconnect().initialDelay(), config.reconnect().maxDelay());
        this.address = host + ":" + port;
    }

    void start(@Observes StartupEvent event) {
        LOG.infof("agent %s connecting to the control plane at %s; targets %s, operations %s", devices.host().getName(),
                address, devices.targets().stream().map(Device::getSerial).toList(), tasks.operations());
        loop = Multi.createFrom().deferred(this::openSession)
                .onCompletion().failWith(() -> new IllegalStateException("the control plane ended the stream"))
                .onFailure().retry().when(failures -> failures.onItem().transformToUniAndConcatenate(this::pauseBeforeReconnecting))
                .subscribe().with(handled -> { });
    }

    void stop(@Observes ShutdownEvent event) {
        loop.cancel();
        tasks.shutdown(config.killGrace().multipliedBy(2).plusSeconds(1));
    }

    private Multi<ControlMessage> openSession() {
        Session session = new Session(hello(), config.heartbeatInterval());
        current = session;
        LOG.debugf("connecting to the control plane, holding %s", session.hello().getHeldList());
        return controlPlane.connect(session.outbound())
                .onItem().invoke(message -> handle(session, message))
                .onTermination().invoke(session::close);
    }

    private Uni<Throwable> pauseBeforeReconnecting(Throwable failure) {
        Duration delay = backoff.next();
        LOG.warnf("no connection to the control plane at %s (%s); retrying in %d ms", address, describe(failure),
                delay.toMillis());
        return Uni.createFrom().item(failure).onItem().delayIt().by(delay);
    }

    private Hello hello() {
        return Hello.newBuilder()
                .setHost(devices.host())
                .addAllTargets(devices.targets().stream()
                        .map(device -> TargetDevice.newBuilder().setDevice(device).addAllOperations(tasks.operations()).build())
                        .toList())
                .addAllHeld(held.list())
                .setAgentVersion(config.version())
                .build();
    }

    private void handle(Session session, ControlMessage message) {
        switch (message.getKindCase()) {
            case WELCOME -> welcome(session, message.getWelcome());
            case TASK -> tasks.start(message.getTask(), this::report);
            case CANCEL -> tasks.cancel(AttemptKey.of(message.getCancel()));
            case ACK -> acknowledge(message.getAck());
            default -> LOG.warnf("ignoring a control message of unknown kind: %s", message);
        }
    }

    private void welcome(Session session, Welcome welcome) {
        welcome.getAbandonList().forEach(attempt -> tasks.abandon(AttemptKey.of(attempt)));
        backoff.reset();
        session.welcomed(welcome);
        LOG.infof("registered with control plane: host %s, workers %s", welcome.getHostId(), workers(session.hello(), welcome));
        held.unacknowledged().forEach(session::send);
    }

    private void report(TaskUpdate update) {
        current.send(update);
    }

    private void acknowledge(UpdateAck ack) {
        if (!ack.getAccepted()) {
            LOG.warnf("the control plane refused the %s update of %s: %s", ack.getStatus(), AttemptKey.of(ack), ack.getReason());
        }
        held.acknowledge(ack);
    }

    /** Each worker id with the serial of its target (Welcome lists workers in the order of Hello's targets). */
    private static List<String> workers(Hello hello, Welcome welcome) {
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < welcome.getWorkersCount(); i++) {
            String serial = i < hello.getTargetsCount() ? hello.getTargets(i).getDevice().getSerial() : "?";
            workers.add(welcome.getWorkers(i).getId() + " (" + serial + ")");
        }
        return workers;
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(failure.getMessage());
        return root == failure || message.contains(String.valueOf(root.getMessage())) ? message : message + ": " + root.getMessage();
    }
}
