package dev.workcell.controlplane.action;

import dev.workcell.proto.v1.Action;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.metrics.WorkcellMetrics;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Every committed change of an action, for watchers. Each watcher gets its own bounded buffer: a
 * slow watcher loses its stream when the buffer overflows; it never slows the ledger down.
 */
@ApplicationScoped
@Startup
public class ActionChanges {

    private static final Logger LOG = Logger.getLogger(ActionChanges.class);
    public static final int WATCHER_BUFFER = 4096;

    static final String CHANGED = "changed";

    private final BroadcastProcessor<Action> processor = BroadcastProcessor.create();
    private final Object lock = new Object();
    private final AtomicInteger watchers = new AtomicInteger();
    private final ClusterBus bus;
    private final LedgerQueries queries;
    private final WorkcellMetrics metrics;

    public ActionChanges(ClusterBus bus, LedgerQueries queries, WorkcellMetrics metrics) {
        this.metrics = metrics;
        this.bus = bus;
        this.queries = queries;
        bus.on(CHANGED, ids -> {
            if (watchers.get() > 0) {
                ids.forEach(id -> queries.get(id).subscribe().with(found -> found.ifPresent(this::publishLocal),
                        failure -> LOG.warnf("could not read changed action %s: %s", id, failure.getMessage())));
            }
        });
    }

    /** A committed change: to this replica's watchers, and to the other replicas' ones. */
    public void publish(Action action) {
        publishLocal(action);
        bus.tellSoon(CHANGED, action.getId());
        metrics.changed(action);
    }

    private void publishLocal(Action action) {
        synchronized (lock) {
            processor.onNext(action);
        }
    }

    /** Changes from now on, made through any replica. */
    public Multi<Action> stream() {
        return processor
                .onSubscription().invoke(watchers::incrementAndGet)
                .onTermination().invoke(watchers::decrementAndGet)
                .onOverflow().buffer(WATCHER_BUFFER)
                .onFailure(BackPressureFailure.class).invoke(() -> LOG.warn("a watcher fell behind and was disconnected"));
    }
}
