package dev.workcell.controlplane.pending;

import dev.workcell.controlplane.cluster.Replicas;
import dev.workcell.controlplane.dimension.DimensionStore;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Operation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * What keeps each device from taking an operation's next action, read from PostgreSQL as the
 * claims see it (approval, quarantine, live workers, agent drain and revocation, the running
 * action), and how long an operation recently took on a device or on devices of its model.
 */
@ApplicationScoped
public class DeviceStates {

    /** Finished attempts a recent duration averages. */
    static final int RECENT = 20;

    private final Pool pool;

    public DeviceStates(Pool pool) {
        this.pool = pool;
    }

    /** What runs on a busy device. */
    public record Running(String actionId, Operation operation, ActionStatus status, OffsetDateTime since) {}

    /**
     * One device as a claim for an operation would find it. {@code served}: a worker of an agent
     * that is not revoked serves it for the operation; {@code online}: such a worker is live and
     * its device present; {@code undrained}: such a live worker's agent is not draining.
     */
    public record DeviceState(
            String id,
            String name,
            SortedMap<String, SortedSet<String>> dimensions,
            boolean served,
            boolean approved,
            boolean quarantined,
            boolean online,
            boolean undrained,
            Optional<Running> running) {}

    /** Every device (or the one with {@code onlyId}, when not null) as a claim for this operation would find it. */
    public Uni<List<DeviceState>> of(Operation operation, String onlyId) {
        return pool.preparedQuery("""
                        WITH served AS (
                            SELECT w.target_id,
                                   bool_or(w.live AND w.replica_id IN (%1$s) AND w.state <> 'OFFLINE') AS online,
                                   bool_or(w.live AND w.replica_id IN (%1$s) AND w.state <> 'OFFLINE' AND g.draining_since IS NULL) AS undrained
                            FROM workers w JOIN agents g ON g.host_id = w.host_id AND g.revoked_at IS NULL
                            WHERE $2 = ANY(w.operations) AND ($1::text IS NULL OR w.target_id = $1)
                            GROUP BY w.target_id)
                        SELECT d.id, d.name, d.dimensions::text AS dimensions, d.approved,
                               EXISTS (SELECT 1 FROM quarantined_devices qd WHERE qd.device_id = d.id) AS quarantined,
                               s.target_id IS NOT NULL AS served, COALESCE(s.online, false) AS online,
                               COALESCE(s.undrained, false) AS undrained,
                               b.id AS running_id, b.operation AS running_operation, b.status AS running_status,
                               COALESCE(b.started_at, b.updated_at) AS running_since
                        FROM devices d
                        LEFT JOIN served s ON s.target_id = d.id
                        LEFT JOIN LATERAL (SELECT a.id, a.operation, a.status, a.started_at, a.updated_at
                                           FROM live_actions l JOIN actions a ON a.id = split_part(l.id, '@', 1)
                                           WHERE l.target_id = d.id AND l.status IN ('DISPATCHED', 'RUNNING', 'HELD') LIMIT 1) b ON true
                        WHERE $1::text IS NULL OR d.id = $1
                        ORDER BY d.name, d.id""".formatted(Replicas.CONNECTED))
                .execute(Tuple.of(onlyId, operation.name()))
                .map(rows -> {
                    List<DeviceState> devices = new ArrayList<>();
                    rows.forEach(row -> devices.add(device(row)));
                    return devices;
                });
    }

    /** A device and an operation whose recent duration is asked for. */
    public record Work(String deviceId, Operation operation) {}

    /**
     * The average duration of the last finished attempts of each work's operation on its device,
     * else on the devices of the same model; absent without any.
     */
    public Uni<Map<Work, Duration>> recentDurations(Collection<Work> works) {
        if (works.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("""
                        SELECT k.device_id, k.operation,
                               COALESCE(
                                   (SELECT extract(epoch FROM avg(took)) FROM (
                                        SELECT a.finished_at - a.started_at AS took FROM actions a
                                        WHERE a.operation = k.operation AND a.target_id = k.device_id
                                          AND a.status IN ('SUCCEEDED', 'FAILED') AND a.started_at IS NOT NULL AND a.finished_at IS NOT NULL
                                        ORDER BY a.finished_at DESC LIMIT %1$d) own),
                                   (SELECT extract(epoch FROM avg(took)) FROM (
                                        SELECT a.finished_at - a.started_at AS took FROM actions a JOIN devices m ON m.id = a.target_id
                                        WHERE a.operation = k.operation
                                          AND m.dimensions -> 'model' = (SELECT d.dimensions -> 'model' FROM devices d WHERE d.id = k.device_id)
                                          AND a.status IN ('SUCCEEDED', 'FAILED') AND a.started_at IS NOT NULL AND a.finished_at IS NOT NULL
                                        ORDER BY a.finished_at DESC LIMIT %1$d) kind)
                               )::float8 AS seconds
                        FROM unnest($1::text[], $2::text[]) AS k(device_id, operation)""".formatted(RECENT))
                .execute(Tuple.of(
                        works.stream().map(Work::deviceId).toArray(String[]::new),
                        works.stream().map(work -> work.operation().name()).toArray(String[]::new)))
                .map(rows -> {
                    Map<Work, Duration> durations = new HashMap<>();
                    rows.forEach(row -> {
                        Double seconds = row.getDouble("seconds");
                        if (seconds != null) {
                            durations.put(
                                    new Work(row.getString("device_id"), Operation.valueOf(row.getString("operation"))),
                                    Duration.ofMillis(Math.round(seconds * 1000)));
                        }
                    });
                    return durations;
                });
    }

    private static DeviceState device(Row row) {
        Optional<Running> running = row.getString("running_id") == null
                ? Optional.empty()
                : Optional.of(new Running(
                        row.getString("running_id"),
                        Operation.valueOf(row.getString("running_operation")),
                        ActionStatus.valueOf(row.getString("running_status")),
                        row.getOffsetDateTime("running_since")));
        return new DeviceState(
                row.getString("id"),
                row.getString("name"),
                DimensionStore.parse(new JsonObject(row.getString("dimensions"))),
                row.getBoolean("served"),
                row.getBoolean("approved"),
                row.getBoolean("quarantined"),
                row.getBoolean("online"),
                row.getBoolean("undrained"),
                running);
    }
}
