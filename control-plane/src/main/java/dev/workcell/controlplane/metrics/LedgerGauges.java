package dev.workcell.controlplane.metrics;

import dev.workcell.controlplane.cluster.Replicas;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges read from the ledger, as every replica sees it (aggregate them with max, not sum):
 * queue depth and oldest queued age per target device (with its agent's pool), live agents,
 * workers by liveness and live workers' devices by state (a device in quarantine counts as
 * quarantined, whatever it reports). Two queries per refresh, not per action
 * and not per scrape.
 */
@ApplicationScoped
public class LedgerGauges {

    /**
     * The target devices' queues that hold something, with their agents' pools. A queue that held
     * something keeps its row, at 0 once empty ({@link #queued}): reading every device's row each
     * refresh (10,000 workers grouped, 13-140 ms of PostgreSQL every 5 s in benchmark 5, and as many rows
     * for the control plane) made the fleet alone cost a fifth of a core. When each waiting action
     * entered the queue is in live_actions: looking them up in actions took 109 ms a refresh with
     * benchmark 1's 20,000 waiting.
     */
    private static final String QUEUES = """
            WITH queued AS (
                SELECT l.target_id, count(*) AS depth, min(l.queued_at) AS since
                FROM live_actions l
                WHERE l.status = 'QUEUED' AND l.target_id IS NOT NULL GROUP BY l.target_id)
            SELECT q.target_id, q.depth, extract(epoch FROM now() - q.since)::float8 AS oldest_seconds,
                   COALESCE((SELECT min(g.pool) FROM workers w JOIN agents g ON g.host_id = w.host_id AND g.revoked_at IS NULL
                             WHERE w.target_id = q.target_id), '') AS pool
            FROM queued q""";

    /** Live as the API shows it: held by a stream on a replica whose process is still connected to the database. */
    private static final String FLEET = """
            WITH w AS (
                SELECT host_id, COALESCE(live AND replica_id IN (%s), false) AS live,
                       CASE WHEN EXISTS (SELECT 1 FROM quarantined_devices qd WHERE qd.device_id = target_id)
                            THEN 'QUARANTINED' ELSE state END AS state
                FROM workers)
            SELECT live, state, count(*) AS workers, (SELECT count(DISTINCT host_id) FROM w WHERE live) AS agents
            FROM w GROUP BY live, state""".formatted(Replicas.CONNECTED);

    private final Pool pool;
    private final Vertx vertx;
    private final MetricsConfig config;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final RefreshedMultiGauge<Queue> depth;
    private final RefreshedMultiGauge<Queue> oldest;
    private final RefreshedMultiGauge<String> workers;
    private final RefreshedMultiGauge<String> devices;
    private final AtomicLong agents = new AtomicLong();
    /** The queues that have held something since this replica started: each keeps its row, at 0 when empty. */
    private final Set<Queue> queued = new HashSet<>();

    public LedgerGauges(Pool pool, Vertx vertx, MetricsConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.depth = new RefreshedMultiGauge<>(
                MultiGauge.builder("workcell.queue.depth")
                        .description("Actions waiting in the queue of a target device")
                        .register(registry),
                Queue::tags);
        this.oldest = new RefreshedMultiGauge<>(
                MultiGauge.builder("workcell.queue.oldest.age")
                        .baseUnit("seconds")
                        .description("How long the oldest queued action of a target device has waited")
                        .register(registry),
                Queue::tags);
        this.workers = new RefreshedMultiGauge<>(
                MultiGauge.builder("workcell.workers")
                        .description("Workers (host, target) by state: live (an agent stream holds it) or offline")
                        .register(registry),
                LedgerGauges::stateTag);
        this.devices = new RefreshedMultiGauge<>(
                MultiGauge.builder("workcell.devices")
                        .description(
                                "Target devices of live workers by their last reported state, or quarantined (no capacity)")
                        .register(registry),
                LedgerGauges::stateTag);
        Gauge.builder("workcell.agents", agents, AtomicLong::get)
                .description("Agents (hosts) with at least one live worker")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        refresh();
        vertx.setPeriodic(config.refresh().toMillis(), ignored -> refresh());
    }

    private void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        pool.query(QUEUES)
                .execute()
                .invoke(this::queues)
                .chain(() -> pool.query(FLEET).execute())
                .invoke(this::fleet)
                .eventually(() -> refreshing.set(false))
                .subscribe()
                .with(
                        ignored -> {},
                        failure -> Log.debugf("could not refresh the ledger gauges: %s", failure.getMessage()));
    }

    /** A target device's queue, as its gauges' rows are keyed. */
    private record Queue(String target, String pool) {
        Tags tags() {
            return Tags.of("target", target, "pool", pool);
        }
    }

    private void queues(RowSet<Row> rows) {
        Map<Queue, Long> depths = new HashMap<>();
        Map<Queue, Double> ages = new HashMap<>();
        queued.forEach(queue -> {
            depths.put(queue, 0L);
            ages.put(queue, 0.0);
        });
        rows.forEach(row -> {
            Queue queue = new Queue(row.getString("target_id"), row.getString("pool"));
            queued.add(queue);
            depths.put(queue, row.getLong("depth"));
            ages.put(queue, row.getDouble("oldest_seconds"));
        });
        depth.refresh(depths);
        oldest.refresh(ages);
    }

    private void fleet(RowSet<Row> rows) {
        Map<String, Long> byLiveness = new HashMap<>(Map.of("live", 0L, "offline", 0L));
        Map<String, Long> byState = new HashMap<>(Map.of("ONLINE", 0L, "OFFLINE", 0L, "BUSY", 0L, "QUARANTINED", 0L));
        long hosts = 0;
        for (Row row : rows) {
            boolean live = row.getBoolean("live");
            byLiveness.merge(live ? "live" : "offline", row.getLong("workers"), Long::sum);
            if (live) {
                byState.merge(row.getString("state"), row.getLong("workers"), Long::sum);
            }
            hosts = row.getLong("agents");
        }
        workers.refresh(byLiveness);
        devices.refresh(byState);
        agents.set(hosts);
    }

    private static Tags stateTag(String state) {
        return Tags.of("state", state.toLowerCase());
    }
}
