package dev.workcell.controlplane.device;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.workcell.controlplane.dimension.DeviceDimensions;
import dev.workcell.controlplane.dimension.DimensionStore;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.proto.v1.Device;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The devices table: every device seen, with its latest description (the original lost updates, defect 11). */
@ApplicationScoped
public class DeviceStore {

    /** Whether the device of the row is in quarantine now. */
    private static final String QUARANTINED =
            "EXISTS (SELECT 1 FROM quarantined_devices qd WHERE qd.device_id = devices.id) AS quarantined";

    private final Pool pool;
    private final boolean requireApproval;
    private final AvailabilityChanges availability;

    public DeviceStore(
            Pool pool, dev.workcell.controlplane.config.WorkcellConfig config, AvailabilityChanges availability) {
        this.pool = pool;
        this.requireApproval = config.devices().requireApproval();
        this.availability = availability;
    }

    /** Records a device as described now and returns it with its stable id; a new device is approved unless approval is required. */
    public Uni<Device> upsert(Device described) {
        Device device = described.toBuilder()
                .clearApproved()
                .clearQuarantined()
                .clearDimensions()
                .clearAdminLabels()
                .setId(DeviceIdentity.deviceId(described))
                .build();
        return pool.preparedQuery("""
                        WITH upserted AS (
                            INSERT INTO devices (id, serial, name, info, approved) VALUES ($1, $2, $3, $4, $5)
                            ON CONFLICT (id) DO UPDATE SET serial = excluded.serial, name = excluded.name, info = excluded.info,
                                updated_at = now()
                            WHERE devices.info IS DISTINCT FROM excluded.info
                            RETURNING admin_labels)
                        SELECT admin_labels FROM upserted
                        UNION ALL
                        SELECT admin_labels FROM devices WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM upserted)""")
                .execute(Tuple.tuple()
                        .addString(device.getId())
                        .addString(device.getSerial())
                        .addString(device.getName())
                        .addBuffer(Buffer.buffer(device.toByteArray()))
                        .addBoolean(!requireApproval))
                .map(rows -> device.toBuilder()
                        .putAllAdminLabels(labels(rows.iterator().next().getJsonObject("admin_labels")))
                        .build());
    }

    /**
     * Replaces the labels an admin gave a device, with its audit row in the same statement; returns the
     * device, and the host it was last served from (empty when never), or empty when there is no such device.
     */
    public Uni<Optional<Labelled>> setAdminLabels(String id, Map<String, String> labels, String actor) {
        return pool.preparedQuery("""
                        WITH changed AS (
                            UPDATE devices SET admin_labels = $2::text::jsonb, updated_at = now() WHERE id = $1
                            RETURNING info, id, approved, dimensions, admin_labels, %s),
                        audit AS (
                            INSERT INTO audit_events (actor, kind, subject, detail)
                            SELECT $3, 'device.labelled', id, 'admin labels ' || $2 FROM changed)
                        SELECT changed.*, w.host_id, coalesce(h.name, '') AS host_name
                        FROM changed
                        LEFT JOIN LATERAL (SELECT host_id FROM workers WHERE target_id = changed.id
                                           ORDER BY live DESC, last_seen DESC NULLS LAST LIMIT 1) w ON true
                        LEFT JOIN devices h ON h.id = w.host_id""".formatted(QUARANTINED))
                .execute(Tuple.of(id, new JsonObject(Map.copyOf(labels)).encode(), actor))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(labelled(rows.iterator().next()))
                        : Optional.empty());
    }

    /** A device whose admin labels changed, and the host it was last served from ("" when never). */
    public record Labelled(Device device, String hostId, String hostName) {}

    private static Labelled labelled(Row row) {
        return new Labelled(
                device(row),
                row.getString("host_id") == null ? "" : row.getString("host_id"),
                row.getString("host_name"));
    }

    private static Map<String, String> labels(JsonObject json) {
        Map<String, String> labels = new TreeMap<>();
        if (json != null) {
            json.forEach(entry -> labels.put(entry.getKey(), String.valueOf(entry.getValue())));
        }
        return labels;
    }

    /** Lets a device get work; empty when there is no such device. */
    public Uni<Optional<Device>> approve(String id) {
        return pool.preparedQuery(
                        "UPDATE devices SET approved = true, updated_at = now() WHERE id = $1 RETURNING info, id, approved, dimensions, admin_labels, "
                                + QUARANTINED)
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(device(rows.iterator().next()))
                        : Optional.<Device>empty())
                .invoke(approved -> approved.ifPresent(device -> availability.publish(List.of(device.getId()))));
    }

    /** The device with this id, or else the one with this serial. */
    public Uni<Optional<Device>> resolve(String idOrSerial) {
        return pool.preparedQuery("SELECT info, id, approved, dimensions, admin_labels, " + QUARANTINED
                        + " FROM devices WHERE id = $1 OR serial = $1 ORDER BY (id = $1) DESC LIMIT 1")
                .execute(Tuple.of(idOrSerial))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(device(rows.iterator().next()))
                        : Optional.empty());
    }

    /**
     * The id of the device with this id, or else with this serial, for the endpoints that name a device; NOT_FOUND
     * naming what was asked when none ever registered.
     */
    public Uni<String> idOf(String idOrSerial) {
        return resolve(idOrSerial)
                .map(found -> found.map(Device::getId)
                        .orElseThrow(() -> new NotFoundException(
                                "no device " + idOrSerial + ": no device with that id or serial ever registered")));
    }

    public Uni<List<Device>> list() {
        return pool.query("SELECT info, id, approved, dimensions, admin_labels, " + QUARANTINED
                        + " FROM devices ORDER BY name, id")
                .execute()
                .map(rows -> {
                    List<Device> devices = new ArrayList<>();
                    rows.forEach(row -> devices.add(device(row)));
                    return devices;
                });
    }

    /** Devices waiting for approval, the oldest first; at most limit. */
    public Uni<List<Device>> pending(int limit) {
        return pool.preparedQuery(
                        "SELECT info, id, approved FROM devices WHERE NOT approved ORDER BY first_seen, id LIMIT $1")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<Device> devices = new ArrayList<>();
                    rows.forEach(row -> devices.add(device(row)));
                    return devices;
                });
    }

    private static Device device(Row row) {
        try {
            return Device.parseFrom(row.getBuffer("info").getBytes()).toBuilder()
                    .setId(row.getString("id"))
                    .setApproved(row.getBoolean("approved"))
                    .setQuarantined(row.getBoolean("quarantined"))
                    .clearDimensions()
                    .addAllDimensions(DeviceDimensions.toProto(DimensionStore.parse(row.getJsonObject("dimensions"))))
                    .putAllAdminLabels(labels(row.getJsonObject("admin_labels")))
                    .build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(
                    "devices table holds an unreadable description for " + row.getString("id"), e);
        }
    }
}
