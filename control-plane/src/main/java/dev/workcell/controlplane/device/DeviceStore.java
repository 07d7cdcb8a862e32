package dev.workcell.controlplane.device;

import dev.workcell.controlplane.dimension.DeviceDimensions;
import dev.workcell.controlplane.dimension.DimensionStore;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.workcell.proto.v1.Device;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The devices table: every device seen, with its latest description (the original lost updates, defect 11). */
@ApplicationScoped
public class DeviceStore {

    /** Whether the device of the row is in quarantine now. */
    private static final String QUARANTINED =
            "EXISTS (SELECT 1 FROM quarantined_devices qd WHERE qd.device_id = devices.id) AS quarantined";

    private final Pool pool;
    private final boolean requireApproval;

    public DeviceStore(Pool pool, dev.workcell.controlplane.config.WorkcellConfig config) {
        this.pool = pool;
        this.requireApproval = config.devices().requireApproval();
    }

    /** Records a device as described now and returns it with its stable id; a new device is approved unless approval is required. */
    public Uni<Device> upsert(Device described) {
        Device device = described.toBuilder().clearApproved().clearQuarantined().clearDimensions().setId(DeviceIdentity.deviceId(described)).build();
        return pool.preparedQuery("""
                        INSERT INTO devices (id, serial, name, info, approved) VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (id) DO UPDATE SET serial = excluded.serial, name = excluded.name, info = excluded.info,
                            updated_at = now()
                        WHERE devices.info IS DISTINCT FROM excluded.info""")
                .execute(Tuple.tuple().addString(device.getId()).addString(device.getSerial()).addString(device.getName())
                        .addBuffer(Buffer.buffer(device.toByteArray())).addBoolean(!requireApproval))
                .replaceWith(device);
    }

    /** Lets a device get work; empty when there is no such device. */
    public Uni<Optional<Device>> approve(String id) {
        return pool.preparedQuery("UPDATE devices SET approved = true, updated_at = now() WHERE id = $1 RETURNING info, id, approved, dimensions, " + QUARANTINED)
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(device(rows.iterator().next())) : Optional.empty());
    }

    /** The device with this id, or else the one with this serial. */
    public Uni<Optional<Device>> resolve(String idOrSerial) {
        return pool.preparedQuery("SELECT info, id, approved, dimensions, " + QUARANTINED + " FROM devices WHERE id = $1 OR serial = $1 ORDER BY (id = $1) DESC LIMIT 1")
                .execute(Tuple.of(idOrSerial))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(device(rows.iterator().next())) : Optional.empty());
    }

    public Uni<List<Device>> list() {
        return pool.query("SELECT info, id, approved, dimensions, " + QUARANTINED + " FROM devices ORDER BY name, id").execute().map(rows -> {
            List<Device> devices = new ArrayList<>();
            rows.forEach(row -> devices.add(device(row)));
            return devices;
        });
    }

    /** Devices waiting for approval, the oldest first; at most limit. */
    public Uni<List<Device>> pending(int limit) {
        return pool.preparedQuery("SELECT info, id, approved FROM devices WHERE NOT approved ORDER BY first_seen, id LIMIT $1")
                .execute(Tuple.of(limit)).map(rows -> {
                    List<Device> devices = new ArrayList<>();
                    rows.forEach(row -> devices.add(device(row)));
                    return devices;
                });
    }

    private static Device device(Row row) {
        try {
            return Device.parseFrom(row.getBuffer("info").getBytes()).toBuilder().setId(row.getString("id"))
                    .setApproved(row.getBoolean("approved")).setQuarantined(row.getBoolean("quarantined"))
                    .clearDimensions()
                    .addAllDimensions(DeviceDimensions.toProto(DimensionStore.parse(row.getJsonObject("dimensions"))))
                    .build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("devices table holds an unreadable description for " + row.getString("id"), e);
        }
    }
}
