package dev.workcell.agent.connection;

import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.device.AgentDevices;
import dev.workcell.agent.device.DeviceDiscovery;
import dev.workcell.agent.enrollment.AgentCredential;
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
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

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
    private final ConnectCall call;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile Cancellable loop;
    private volatile boolean stopping;

    ControlPlaneConnection(
            @GrpcClient("control-plane") AgentService controlPlane,
            AgentProtocol protocol,
            DeviceDiscovery devices,
            TaskRunner tasks,
            HeldAttempts held,
            AgentConfig config,
            AgentCredential credential,
            ConnectCall call,
            @ConfigProperty(name = "quarkus.grpc.clients.control-plane.host") String host,
            @ConfigProperty(name = "quarkus.grpc.clients.control-plane.port") int port) {
        this.controlPlane = controlPlane;
        this.protocol = protocol;
        this.devices = devices;
        this.tasks = tasks;
        this.held = held;
        this.killGrace = config.killGrace();
        this.silenceTimeout = config.silenceTimeout();
        this.backoff = new ReconnectBackoff(
                config.reconnect().initialDelay(),
                config.reconnect().maxDelay(),
                config.reconnect().refusedDelay());
        this.address = host + ":" + port;
        this.credential = credential;
        this.call = call;
    }

    void start(@Observes StartupEvent event) {
        AgentDevices now = devices.current();
        LOG.infof(
                "agent %s connecting to the control plane at %s; targets %s, operations %s",
                now.host().getName(),
                address,
                now.targets().stream().map(Device::getSerial).toList(),
                tasks.operations());
        loop = Multi.createFrom()
                .deferred(this::openSession)
                .onCompletion()
                .failWith(() -> new IllegalStateException("the control plane ended the stream"))
                .onFailure(failure -> !stopping)
                .retry()
                .when(this::afterBackoff)
                .subscribe()
                .with(handled -> {}, failure -> stopped.complete(null));
    }

    /**
     * Says goodbye (a half-close, so the control plane ends the stream; the agent ends it when the
     * control plane does not), then stops every running attempt.
     */
    void stop(@Observes ShutdownEvent event) {
        LOG.infof(
                "stopping: closing the stream, stopping %d running attempts",
                held.running().size());
        stopping = true;
        Session session = protocol.current();
        if (session != null && session.close() && !awaitStreamEnd()) {
            call.cancel("the agent is stopping", null);
            awaitStreamEnd();
        }
        loop.cancel();
        tasks.shutdown(killGrace.multipliedBy(2).plusSeconds(1));
    }

    private Multi<ControlMessage> openSession() {
        return credential.obtain().onItem().transformToMulti(ignored -> connect());
    }

    /**
     * One stream. A silent one is ended by closing what the agent sends, then cancelling its call, never
     * by cancelling the stub's Multi (which leaves the call open and makes its later end an exception
     * Mutiny drops): the stream then fails as a broken one does, and is retried.
     */
    private Multi<ControlMessage> connect() {
        Session session = protocol.newSession();
        SilenceWatch silence = new SilenceWatch(silenceTimeout, Infrastructure.getDefaultWorkerPool(), () -> {
            session.close();
            call.cancel("nothing from the control plane for " + silenceTimeout, null);
        });
        return controlPlane
                .connect(session.outbound())
                .onSubscription()
                .invoke(silence::start)
                .onItem()
                .invoke(silence::heard)
                .onItem()
                .invoke(backoff::reset)
                .onItem()
                .invoke(message -> protocol.handle(session, message))
                .onTermination()
                .invoke(() -> {
                    silence.stop();
                    session.close();
                });
    }

    private Multi<Throwable> afterBackoff(Multi<Throwable> failures) {
        return failures.onItem().transformToUniAndConcatenate(this::pauseBeforeReconnecting);
    }

    private Uni<Throwable> pauseBeforeReconnecting(Throwable failure) {
        Duration delay = backoff.after(failure);
        if (ReconnectBackoff.isRefusal(failure)) {
            LOG.warnf(
                    "the control plane at %s refused this agent (%s); trying again in %d s (workcell.agent.reconnect.refused-delay)",
                    address, describe(failure), delay.toSeconds());
        } else {
            LOG.warnf(
                    "no connection to the control plane at %s (%s); retrying in %d ms",
                    address, describe(failure), delay.toMillis());
        }
        return Uni.createFrom().item(failure).onItem().delayIt().by(delay);
    }

    /** Whether the stream ended within the goodbye timeout. */
    private boolean awaitStreamEnd() {
        try {
            stopped.get(GOODBYE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("the control plane did not end the stream within %s", GOODBYE_TIMEOUT);
        }
        return false;
    }

    /** The failure's message, with its root cause when that says more (e.g. "Connection refused"). */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(failure.getMessage());
        return root == failure || message.contains(String.valueOf(root.getMessage()))
                ? message
                : message + ": " + root.getMessage();
    }
}
