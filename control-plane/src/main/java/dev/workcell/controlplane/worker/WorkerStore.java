package dev.workcell.controlplane.worker;

import dev.workcell.controlplane.cluster.Replicas;
import dev.workcell.controlplane.db.DatabaseTime;
import dev.workcell.controlplane.device.AvailabilityChanges;
import dev.workcell.proto.v1.DeviceState;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The workers table: workers as last seen, one row per (host, target). */
@ApplicationScoped
public class WorkerStore {

    /**
     * Workers with "live" as it is now (held by a stream on a replica whose process is still connected
     * to the database) whether their agent is draining and whether their target is in quarantine.
     */
    static final String SELECT_LIVE_NOW =
            "SELECT w.*, COALESCE(w.live AND w.replica_id IN (" + Replicas.CONNECTED + "), false) AS live_now,"
                    + " h.name AS host_name, t.name AS target_name, g.draining_since IS NOT NULL AS draining,"
                    + " EXISTS (SELECT 1 FROM quarantined_devices qd WHERE qd.device_id = w.target_id) AS quarantined"
                    + " FROM workers w JOIN devices h ON h.id = w.host_id JOIN devices t ON t.id = w.target_id"
                    + " LEFT JOIN agents g ON g.host_id = w.host_id AND g.revoked_at IS NULL";

    private final Pool pool;
    private final DeviceWorkerCache cache;
    private final AvailabilityChanges availability;
    private final Counter deviceReads;

    public WorkerStore(Pool pool, DeviceWorkerCache cache, AvailabilityChanges availability, MeterRegistry registry) {
        this.pool = pool;
        this.cache = cache;
        this.availability = availability;
        this.deviceReads = Counter.builder("workcell.device.worker.reads")
                .description(
                        "Reads of a device's workers from the database (a submit to a device this replica knows reads none)")
                .register(registry);
    }

    /** Records workers as live now; the same host and target always map to the same row. */
    public Uni<Void> markLive(List<Worker> workers, String replicaId) {
        return Multi.createFrom()
                .iterable(workers)
                .onItem()
                .transformToUniAndConcatenate(worker -> pool.preparedQuery("""
                                INSERT INTO workers (id, host_id, target_id, operations, live, last_seen, state, health, replica_id)
                                VALUES ($1, $2, $3, $4, true, now(), 'ONLINE', '', $5)
                                ON CONFLICT (id) DO UPDATE SET operations = excluded.operations, live = true, last_seen = now(),
                                    state = 'ONLINE', health = '', replica_id = excluded.replica_id""")
                        .execute(Tuple.of(
                                worker.getId(),
                                worker.getHost(),
                                worker.getTarget(),
                                worker.getOperationsList().stream()
                                        .map(Enum::name)
                                        .toArray(String[]::new),
                                replicaId)))
                .collect()
                .last()
                .invoke(cache::changed)
                .invoke(() -> availability.publish(
                        workers.stream().map(Worker::getTarget).distinct().toList()))
                .replaceWithVoid();
    }

    /**
     * Takes workers this replica still holds offline and starts the grace period of their attempts,
     * in one statement: a worker another replica holds by now (its agent reconnected there before
     * this replica noticed the old stream end) stays live there and keeps its attempts unleased.
     * Returns how many attempts were leased.
     */
    public Uni<Integer> markOffline(List<String> workerIds, String replicaId, Duration grace) {
        return pool.preparedQuery("""
                        WITH gone AS (
                            UPDATE workers SET live = false, replica_id = NULL, last_seen = now()
                            WHERE id = ANY($1) AND replica_id = $2 RETURNING id, target_id),
                        leased AS (
                            UPDATE actions SET lease_expires_at = now() + $3 * interval '1 millisecond'
                            WHERE id IN (SELECT id FROM live_actions WHERE worker_id IN (SELECT id FROM gone) AND status IN ('DISPATCHED', 'RUNNING'))
                              AND worker_id IN (SELECT id FROM gone) AND status IN ('DISPATCHED', 'RUNNING')
                            RETURNING id)
                        SELECT (SELECT count(*) FROM leased)::int AS leased, ARRAY(SELECT DISTINCT target_id FROM gone) AS targets""")
                .execute(Tuple.of(workerIds.toArray(String[]::new), replicaId, grace.toMillis()))
                .invoke(cache::changed)
                .map(rows -> rows.iterator().next())
                .invoke(row -> availability.publish(Arrays.asList(row.getArrayOfStrings("targets"))))
                .map(row -> row.getInteger("leased"));
    }

    /** The last state and health probe result its agent reported for a worker's device. */
    public Uni<Void> recordState(Worker worker, DeviceState state, String health) {
        return pool.preparedQuery("UPDATE workers SET state = $2, health = $3, last_seen = now() WHERE id = $1")
                .execute(Tuple.of(worker.getId(), state.name(), health))
                .invoke(() -> availability.publish(List.of(worker.getTarget())))
                .replaceWithVoid();
    }

    /** Notes that the agents of these live workers were heard from just now, for those last noted longer ago than {@code resolution}. */
    public Uni<Void> touch(List<String> workerIds, Duration resolution) {
        return pool.preparedQuery(
                        "UPDATE workers SET last_seen = now() WHERE id = ANY($1) AND live AND last_seen < now() - $2 * interval '1 millisecond'")
                .execute(Tuple.of(workerIds.toArray(String[]::new), resolution.toMillis()))
                .replaceWithVoid();
    }

    /**
     * Workers of the device with this id or serial, live ones first, then the most recently seen:
     * from memory when read since the last change of the workers table ({@link DeviceWorkerCache}),
     * else from the database.
     */
    public Uni<List<Worker>> forDevice(String idOrSerial) {
        Optional<List<Worker>> known = cache.get(idOrSerial);
        if (known.isPresent()) {
            return Uni.createFrom().item(known.get());
        }
        long changesBeforeRead = cache.changesSoFar();
        return pool.preparedQuery(SELECT_LIVE_NOW + """
                         WHERE t.id = $1 OR t.serial = $1
                        ORDER BY (t.id = $1) DESC, live_now DESC, w.last_seen DESC""")
                .execute(Tuple.of(idOrSerial))
                .onSubscription()
                .invoke(() -> deviceReads.increment())
                .map(WorkerStore::workers)
                .invoke(workers -> cache.keep(idOrSerial, workers, changesBeforeRead));
    }

    public Uni<List<Worker>> list() {
        return pool.query(SELECT_LIVE_NOW + " ORDER BY w.host_id, w.target_id")
                .execute()
                .map(WorkerStore::workers);
    }

    private static List<Worker> workers(RowSet<Row> rows) {
        List<Worker> workers = new ArrayList<>();
        rows.forEach(row -> workers.add(worker(row)));
        return workers;
    }

    /** A worker from a row of {@link #SELECT_LIVE_NOW}. */
    static Worker worker(Row row) {
        return Worker.newBuilder()
                .setId(row.getString("id"))
                .setHost(row.getString("host_id"))
                .setTarget(row.getString("target_id"))
                .setHostName(row.getString("host_name"))
                .setTargetName(row.getString("target_name"))
                .addAllOperations(Arrays.stream(row.getArrayOfStrings("operations"))
                        .map(Operation::valueOf)
                        .toList())
                .setLive(row.getBoolean("live_now"))
                .setLastSeen(DatabaseTime.toProto(row.getOffsetDateTime("last_seen")))
                .setState(DeviceState.valueOf(row.getString("state")))
                .setHealth(row.getString("health"))
                .setDraining(row.getBoolean("draining"))
                .setQuarantined(row.getBoolean("quarantined"))
                .build();
    }
}
