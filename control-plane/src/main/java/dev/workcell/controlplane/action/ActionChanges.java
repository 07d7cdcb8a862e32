package dev.workcell.controlplane.action;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.ClusterMessage.ActionsChanged;
import dev.workcell.controlplane.cluster.ReplicaDrain;
import dev.workcell.controlplane.metrics.WorkcellMetrics;
import dev.workcell.proto.v1.Action;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

    private final BroadcastProcessor<Action> processor = BroadcastProcessor.create();
    private final BroadcastProcessor<Action> committedHere = BroadcastProcessor.create();
    private final Object lock = new Object();
    private final AtomicInteger watchers = new AtomicInteger();
    private final ClusterBus bus;
    private final LedgerQueries queries;
    private final WorkcellMetrics metrics;

    public ActionChanges(ClusterBus bus, LedgerQueries queries, WorkcellMetrics metrics) {
        this.metrics = metrics;
        this.bus = bus;
        this.queries = queries;
        bus.on(ActionsChanged.class, changed -> {
            if (watchers.get() > 0) {
                changed.ids()
                        .forEach(id -> queries.get(id)
                                .subscribe()
                                .with(
                                        found -> found.ifPresent(this::publishLocal),
                                        failure -> LOG.warnf(
                                                "could not read changed action %s: %s", id, failure.getMessage())));
            }
        });
    }

    /** A committed change: to this replica's watchers, and to the other replicas' ones. */
    public void publish(Action action) {
        publishLocal(action);
        synchronized (lock) {
            committedHere.onNext(action);
        }
        bus.tellSoon(new ActionsChanged(List.of(action.getId())));
        metrics.changed(action);
    }

    private void publishLocal(Action action) {
        synchronized (lock) {
            processor.onNext(action);
        }
    }

    /** Ends every watch of this draining replica, and refuses later ones: their clients watch again through another replica. */
    void handOver(@Observes ReplicaDrain.HandOver event, ReplicaDrain drain) {
        LOG.infof("ending %d watches: this replica is draining", watchers.get());
        synchronized (lock) {
            processor.onError(drain.refusal());
        }
    }

    /**
     * Changes committed through this replica only: each change reaches one replica's subscribers, for
     * work to do once per change (a campaign's follow-ups). A subscriber does not count as a watcher,
     * so that it makes no replica read the others' changes.
     */
    public Multi<Action> committedHere() {
        return committedHere;
    }

    /** Watchers subscribed now: each open watch counts once until it completes, fails or is cancelled. */
    public int liveWatchers() {
        return watchers.get();
    }

    /** Changes from now on, made through any replica. */
    public Multi<Action> stream() {
        return counted()
                .onOverflow()
                .buffer(WATCHER_BUFFER)
                .onFailure(BackPressureFailure.class)
                .invoke(() -> LOG.warn("a watcher fell behind and was disconnected"));
    }

    /**
     * The actions {@code first} reads, then every change made from the moment of subscription on.
     * Changes made while {@code first} reads wait behind it, so none is lost; those it already
     * returned (the same or an older state of one of its actions) are dropped.
     */
    public Multi<Action> streamAfter(Uni<List<Action>> first) {
        return Multi.createFrom()
                .deferred(() -> {
                    UnicastProcessor<Action> held = UnicastProcessor.create();
                    AtomicReference<Flow.Subscription> live = new AtomicReference<>();
                    counted().onSubscription().invoke(live::set).subscribe().withSubscriber(held);
                    Map<String, Timestamp> read = new ConcurrentHashMap<>();
                    Multi<Action> before = first.onItem().transformToMulti(actions -> {
                        actions.forEach(action -> read.put(action.getId(), action.getUpdatedAt()));
                        return Multi.createFrom().iterable(actions);
                    });
                    Multi<Action> after = held.select().where(change -> isNewer(change, read.get(change.getId())));
                    return Multi.createBy()
                            .concatenating()
                            .streams(before, after)
                            .onTermination()
                            .invoke(() -> live.get().cancel());
                })
                .onOverflow()
                .buffer(WATCHER_BUFFER)
                .onFailure(BackPressureFailure.class)
                .invoke(() -> LOG.warn("a watcher fell behind and was disconnected"));
    }

    private Multi<Action> counted() {
        return processor
                .onSubscription()
                .invoke(watchers::incrementAndGet)
                .onTermination()
                .invoke(watchers::decrementAndGet);
    }

    private static boolean isNewer(Action change, Timestamp read) {
        return read == null || Timestamps.compare(change.getUpdatedAt(), read) > 0;
    }
}
