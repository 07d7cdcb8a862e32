package dev.workcell.controlplane.device;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.ClusterMessage.AvailabilityChanged;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Devices whose availability for work changed, once the change is committed: a worker went live or
 * offline, the device was reported offline or back, put in quarantine or released, approved, or its
 * agent drained or undrained. Published here and on the other replicas, for what explains a wait
 * (the Action view's "Why is it waiting?"). Each watcher gets a bounded buffer, as action watchers do.
 */
@ApplicationScoped
public class AvailabilityChanges {

    private static final Logger LOG = Logger.getLogger(AvailabilityChanges.class);
    static final int WATCHER_BUFFER = 4096;

    private final BroadcastProcessor<String> processor = BroadcastProcessor.create();
    private final ClusterBus bus;

    public AvailabilityChanges(ClusterBus bus) {
        this.bus = bus;
        bus.on(AvailabilityChanged.class, changed -> changed.ids().forEach(this::publishLocal));
    }

    /** These devices' availability changed and the change is committed: tell the watchers here and on the other replicas. */
    public void publish(Collection<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return;
        }
        deviceIds.forEach(this::publishLocal);
        bus.tellSoon(new AvailabilityChanged(List.copyOf(deviceIds)));
    }

    /** The ids of devices whose availability changes from now on, through any replica. */
    public Multi<String> stream() {
        return processor
                .onOverflow()
                .buffer(WATCHER_BUFFER)
                .onFailure(BackPressureFailure.class)
                .invoke(() -> LOG.warn("a watcher of device availability fell behind and was disconnected"));
    }

    private void publishLocal(String deviceId) {
        synchronized (processor) {
            processor.onNext(deviceId);
        }
    }
}
