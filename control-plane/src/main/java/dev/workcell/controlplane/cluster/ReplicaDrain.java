package dev.workcell.controlplane.cluster;

import dev.workcell.controlplane.errors.ReplicaDrainingException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A replica's graceful way out (SIGTERM), inside Quarkus' shutdown: when the shutdown starts, the
 * replica turns not-ready and refuses new agent streams and submits; after
 * {@code quarkus.shutdown.delay}, the time a Service needs to stop sending it connections, it
 * hands its agents over (their streams end with UNAVAILABLE and they reconnect, through the
 * Service, to another replica) and ends its watches. Quarkus then gives the requests in flight up
 * to {@code quarkus.shutdown.timeout}, and the replica leaves the cluster (ReplicaMembership).
 */
@ApplicationScoped
public class ReplicaDrain {

    /** The replica started draining: it is not ready any more. */
    public record Started() {}

    /** The replica's long-lived streams end now, so that their agents and clients reconnect to another replica. */
    public record HandOver() {}

    private final Vertx vertx;
    private final Replicas replicas;
    private final Event<Started> started;
    private final Event<HandOver> handOver;
    private final Duration delay;
    private volatile Instant since;
    private volatile boolean handedOver;

    public ReplicaDrain(
            Vertx vertx,
            Replicas replicas,
            Event<Started> started,
            Event<HandOver> handOver,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay) {
        this.vertx = vertx;
        this.replicas = replicas;
        this.started = started;
        this.handOver = handOver;
        this.delay = delay.orElse(Duration.ZERO);
    }

    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        since = Instant.now();
        Log.infof(
                "replica %s is draining: not ready, refusing new agent streams and submits; its agents are handed over in %d ms",
                replicas.id(), delay.toMillis());
        started.fire(new Started());
        vertx.setTimer(Math.max(1, delay.toMillis()), ignored -> {
            handedOver = true;
            handOver.fire(new HandOver());
        });
    }

    /** When the replica started draining; empty while it serves. */
    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    public boolean draining() {
        return since != null;
    }

    /** Whether the long-lived streams were told to end: a stream still open must end too. */
    public boolean handedOver() {
        return handedOver;
    }

    /** What a refused or ended call is told. */
    public ReplicaDrainingException refusal() {
        return new ReplicaDrainingException(replicas.id());
    }
}
