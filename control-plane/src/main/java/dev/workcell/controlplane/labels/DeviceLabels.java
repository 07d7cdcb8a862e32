package dev.workcell.controlplane.labels;

import dev.workcell.controlplane.action.Dispatcher;
import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.ClusterMessage.DevicesRelabelled;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.dimension.DeviceDimensions;
import dev.workcell.controlplane.dimension.DimensionStore;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.proto.v1.Device;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Labels an admin gives a device (a subject, a team, a pool...): stored with the device, made
 * dimensions at once on every replica that serves it, and kept across its agent's registrations.
 */
@ApplicationScoped
public class DeviceLabels {

    static final int MAX_LABELS = 32;
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_.-]{0,62}");
    private static final int MAX_VALUE = 200;

    private final DeviceStore devices;
    private final DimensionStore dimensionStore;
    private final Workers workers;
    private final Dispatcher dispatcher;
    private final ClusterBus bus;

    public DeviceLabels(
            DeviceStore devices,
            DimensionStore dimensionStore,
            Workers workers,
            Dispatcher dispatcher,
            ClusterBus bus) {
        this.devices = devices;
        this.dimensionStore = dimensionStore;
        this.workers = workers;
        this.dispatcher = dispatcher;
        this.bus = bus;
        bus.on(DevicesRelabelled.class, relabelled -> relabelled.ids().forEach(this::reload));
    }

    /** Replaces the admin labels of the device with this id or serial; the device as it is now. */
    public Uni<Device> set(String idOrSerial, Map<String, String> labels, String actor) {
        return Uni.createFrom()
                .item(() -> validated(labels))
                .chain(valid -> devices.idOf(idOrSerial).chain(deviceId -> relabel(deviceId, valid, actor)));
    }

    private Uni<Device> relabel(String deviceId, Map<String, String> labels, String actor) {
        return devices.setAdminLabels(deviceId, labels, actor)
                .map(found -> found.orElseThrow(() -> new NotFoundException("no device " + deviceId)))
                .call(labelled -> dimensionStore.record(
                        deviceId, DeviceDimensions.of(labelled.device(), labelled.hostId(), labelled.hostName())))
                .map(DeviceStore.Labelled::device)
                .invoke(device -> {
                    apply(device);
                    bus.tell(new DevicesRelabelled(List.of(deviceId)));
                })
                .chain(device -> devices.resolve(deviceId).map(now -> now.orElse(device)));
    }

    /** Another replica changed a device's labels: its live workers here take the new dimensions. */
    private void reload(String deviceId) {
        devices.resolve(deviceId)
                .subscribe()
                .with(
                        found -> found.ifPresent(this::apply),
                        failure -> Log.warnf(failure, "could not reload the labels of device %s", deviceId));
    }

    private void apply(Device device) {
        workers.redimension(
                device.getId(),
                worker -> DeviceDimensions.of(
                        device, worker.info().getHost(), worker.info().getHostName()));
        dispatcher.kickLocal(device.getId());
    }

    private static Map<String, String> validated(Map<String, String> labels) {
        if (labels == null) {
            throw new InvalidRequestException(
                    "labels", "required: {\"labels\": {\"key\": \"value\", ...}} ({} removes them all)");
        }
        if (labels.size() > MAX_LABELS) {
            throw new InvalidRequestException("labels", "at most " + MAX_LABELS + " labels, got " + labels.size());
        }
        labels.forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                throw new InvalidRequestException(
                        "labels." + key,
                        "a key is 1 to 63 lowercase letters, digits, '_', '.' or '-', starting with a letter");
            }
            if (DeviceDimensions.DERIVED_KEYS.contains(key)) {
                throw new InvalidRequestException(
                        "labels." + key, "is derived from the device's description and cannot be a label");
            }
            if (value == null
                    || value.isBlank()
                    || value.length() > MAX_VALUE
                    || value.strip().length() != value.length()
                    || value.chars().anyMatch(c -> Character.isISOControl(c) || c == '|' || c == '*')) {
                throw new InvalidRequestException(
                        "labels." + key,
                        "a value is 1 to " + MAX_VALUE
                                + " characters without surrounding spaces, control characters, '|' or '*' (they mean sets and prefixes in dimensions)");
            }
        });
        return labels;
    }
}
