package dev.workcell.controlplane.health;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.ReplicaDrain;
import dev.workcell.controlplane.cluster.Replicas;
import dev.workcell.controlplane.config.WorkcellConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether this replica can do its work, probed every second (one query): PostgreSQL answers, the
 * cluster bus's LISTEN connection is up, this replica's heartbeat row is fresh, and it is not
 * draining (shutting down, see {@link ReplicaDrain}). The HTTP
 * readiness checks and the gRPC health service both answer from the last probe; the probe loop
 * ticking at all is the liveness check.
 */
@ApplicationScoped
public class ReplicaReadiness {

    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** A probe older than this says nothing any more: the loop or the event loop is stuck. */
    static final Duration STALE_PROBE = Duration.ofSeconds(10);

    /** What one probe found; heartbeatAge is empty when the row is missing or could not be read. */
    record Probe(Instant at, Optional<String> databaseError, Optional<Duration> heartbeatAge) {}

    private final Pool pool;
    private final Vertx vertx;
    private final ClusterBus bus;
    private final Replicas replicas;
    private final ReplicaDrain drain;
    private final Duration freshHeartbeat;
    private volatile Probe last =
            new Probe(Instant.now(), Optional.of("not probed yet: the replica is starting"), Optional.empty());
    private volatile Instant lastTick = Instant.now();
    private volatile boolean started;
    private long timer;

    public ReplicaReadiness(
            Pool pool, Vertx vertx, ClusterBus bus, Replicas replicas, ReplicaDrain drain, WorkcellConfig config) {
        this.pool = pool;
        this.drain = drain;
        this.vertx = vertx;
        this.bus = bus;
        this.replicas = replicas;
        this.freshHeartbeat = config.cluster().replicaTimeout().dividedBy(2);
    }

    /** After every other start-up observer (migrations, joining the cluster, LISTEN, held attempts). */
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) StartupEvent event) {
        started = true;
        probe();
        timer = vertx.setPeriodic(PROBE_INTERVAL.toMillis(), ignored -> probe());
    }

    /** The application's beans are going away: a tick after that would fail. */
    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    private void probe() {
        Instant at = Instant.now();
        lastTick = at;
        pool.preparedQuery(
                        "SELECT (extract(epoch FROM now() - last_seen) * 1000)::bigint AS age_ms FROM replicas WHERE id = $1")
                .execute(Tuple.of(replicas.id()))
                .ifNoItem()
                .after(PROBE_TIMEOUT)
                .fail()
                .subscribe()
                .with(
                        rows -> last = new Probe(at, Optional.empty(), ageOf(rows)),
                        failure -> last =
                                new Probe(at, Optional.of(String.valueOf(failure.getMessage())), Optional.empty()));
    }

    private static Optional<Duration> ageOf(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext()
                ? Optional.of(Duration.ofMillis(iterator.next().getLong("age_ms")))
                : Optional.empty();
    }

    /** Start-up finished: Flyway migrated, the replica joined the cluster and listens. */
    HealthCheckResponse started() {
        return HealthCheckResponse.named("started").status(started).build();
    }

    /** The probe loop still ticks (independent of PostgreSQL, so that an outage does not restart every replica). */
    HealthCheckResponse eventLoop() {
        Duration since = Duration.between(lastTick, Instant.now());
        return HealthCheckResponse.named("event-loop")
                .status(!started || since.compareTo(STALE_PROBE) < 0)
                .withData("lastProbeMillisAgo", since.toMillis())
                .build();
    }

    HealthCheckResponse database() {
        Probe probe = last;
        Duration age = Duration.between(probe.at(), Instant.now());
        var response = HealthCheckResponse.named("database");
        if (age.compareTo(STALE_PROBE) > 0) {
            return response.down()
                    .withData("error", "no probe for " + age.toSeconds() + " s")
                    .build();
        }
        return probe.databaseError()
                .map(error -> response.down().withData("error", error))
                .orElseGet(response::up)
                .build();
    }

    HealthCheckResponse clusterBus() {
        return HealthCheckResponse.named("cluster-bus")
                .status(bus.listening())
                .withData("channel", "LISTEN connection " + (bus.listening() ? "up" : "down"))
                .build();
    }

    HealthCheckResponse heartbeat() {
        Optional<Duration> age = last.heartbeatAge();
        var response = HealthCheckResponse.named("replica-heartbeat").withData("replica", replicas.id());
        if (age.isEmpty()) {
            return response.down()
                    .withData("error", "no heartbeat row of this replica could be read")
                    .build();
        }
        return response.status(age.get().compareTo(freshHeartbeat) < 0)
                .withData("ageMillis", age.get().toMillis())
                .withData("freshBelowMillis", freshHeartbeat.toMillis())
                .build();
    }

    /** DOWN from the moment the replica starts draining: it takes no new agents or submits. */
    HealthCheckResponse lifecycle() {
        var response = HealthCheckResponse.named("replica-lifecycle").withData("replica", replicas.id());
        return drain.since()
                .map(since -> response.down().withData("state", "draining").withData("since", since.toString()))
                .orElseGet(() -> response.up().withData("state", "serving"))
                .build();
    }

    /** Every readiness check is up. */
    boolean ready() {
        return !drain.draining()
                && database().getStatus() == HealthCheckResponse.Status.UP
                && clusterBus().getStatus() == HealthCheckResponse.Status.UP
                && heartbeat().getStatus() == HealthCheckResponse.Status.UP;
    }
}
