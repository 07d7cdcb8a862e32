package dev.workcell.agent.connection;

import dev.workcell.agent.enrollment.AgentCredential;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.device.AgentDevices;
import dev.workcell.agent.device.DeviceDiscovery;
import dev.workcell.agent.task.HeldAttempts;
import dev.workcell.agent.task.TaskRunner;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/** The agent's main loop: keeps one stream open to the control plane, reconnecting with backoff for as long as the agent runs. */
@ApplicationScoped
public class ControlPlaneConnection {

    private static final Logger LOG = Logger.getLogger(ControlPlaneConnection.class);
    /** How long the control plane gets to end the stream when the agent stops. */
    private static final Duration GOODBYE_TIMEOUT = Duration.ofSeconds(2);

    private final AgentService controlPlane;
    private final AgentProtocol protocol;
    private final DeviceDiscovery devices;
    private final TaskRunner tasks;
    private final HeldAttempts held;
    private final Duration killGrace;
    private final Duration silenceTimeout;
    private final ReconnectBackoff backoff;
    private final String address;
    private final AgentCredential credential;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile Cancellable loop;
    private volatile boolean stopping;

    ControlPlaneConnection(@GrpcClient("control-plane") AgentService controlPlane, AgentProtocol protocol,
            DeviceDiscovery devices, TaskRunner tasks, HeldAttempts held, AgentConfig config, AgentCredential credential,
            @ConfigProperty(name = "quarkus.grpc.clients.control-plane.host") String host,
            @ConfigProperty(name = "quarkus.grpc.clients.control-plane.port") int port) {
        this.controlPlane = controlPlane;
        this.protocol = protocol;
        this.devices = devices;
        this.tasks = tasks;
        this.held = held;
        this.killGrace = config.killGrace();
        this.silenceTimeout = config.silenceTimeout();
        this.backoff = new ReconnectBackoff(config.reconnect().initialDelay(), config.reconnect().maxDelay());
        this.address = host + ":" + port;
        this.credential = credential;
    }

    void start(@Observes StartupEvent event) {
        AgentDevices now = devices.current();
        LOG.infof("agent %s connecting to the control plane at %s; targets %s, operations %s", now.host().getName(),
                address, now.targets().stream().map(Device::getSerial).toList(), tasks.operations());
        loop = Multi.createFrom().deferred(this::openSession)
                .onCompletion().failWith(() -> new IllegalStateException("the control plane ended the stream"))
                .onFailure(failure -> !stopping).retry().when(this::afterBackoff)
                .subscribe().with(handled -> { }, failure -> stopped.complete(null));
    }

    /** Says goodbye (a half-close, so the control plane ends the stream), then stops every running attempt. */
    void stop(@Observes ShutdownEvent event) {
        LOG.infof("stopping: closing the stream, stopping %d running attempts", held.running().size());
        stopping = true;
        if (protocol.current().close()) {
            awaitStreamEnd();
        }
        loop.cancel();
        tasks.shutdown(killGrace.multipliedBy(2).plusSeconds(1));
    }

    private Multi<ControlMessage> openSession() {
        return credential.obtain().onItem().transformToMulti(ignored -> connect());
    }

    private Multi<ControlMessage> connect() {
        Session session = protocol.newSession();
        return controlPlane.connect(session.outbound())
                .ifNoItem().after(silenceTimeout).failWith(() -> new TimeoutException(
                        "nothing from the control plane for " + silenceTimeout))
                .onItem().invoke(backoff::reset)
                .onItem().invoke(message -> protocol.handle(session, message))
                .onTermination().invoke(session::close);
    }

    private Multi<Throwable> afterBackoff(Multi<Throwable> failures) {
        return failures.onItem().transformToUniAndConcatenate(this::pauseBeforeReconnecting);
    }

    private Uni<Throwable> pauseBeforeReconnecting(Throwable failure) {
        Duration delay = backoff.next();
        LOG.warnf("no connection to the control plane at %s (%s); retrying in %d ms", address, describe(failure),
                delay.toMillis());
        return Uni.createFrom().item(failure).onItem().delayIt().by(delay);
    }

    private void awaitStreamEnd() {
        try {
            stopped.get(GOODBYE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("the control plane did not end the stream within %s", GOODBYE_TIMEOUT);
        }
    }

    /** The failure's message, with its root cause when that says more (e.g. "Connection refused"). */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(failure.getMessage());
        return root == failure || message.contains(String.valueOf(root.getMessage())) ? message : message + ": " + root.getMessage();
    }
}
