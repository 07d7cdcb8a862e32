package dev.workcell.controlplane.worker;

import dev.workcell.controlplane.config.WorkcellConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the workers' last_seen current from their agents' heartbeats, to within
 * {@code workcell.liveness.last-seen-resolution}: the workers heard from are collected and written
 * with one UPDATE a second, however many agents heartbeat.
 */
@ApplicationScoped
public class LastSeen {

    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final WorkerStore workerStore;
    private final Vertx vertx;
    private final Duration resolution;
    private final Set<String> heard = ConcurrentHashMap.newKeySet();
    private final LastSeenWrites writes;

    private final AtomicBoolean writing = new AtomicBoolean();

    public LastSeen(WorkerStore workerStore, Vertx vertx, WorkcellConfig config) {
        this.workerStore = workerStore;
        this.vertx = vertx;
        this.resolution = config.liveness().lastSeenResolution();
        this.writes = new LastSeenWrites(resolution);
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(FLUSH_INTERVAL.toMillis(), ignored -> flush());
    }

    /** Notes that the agent of these workers was heard from now. */
    public void heard(Collection<String> workerIds) {
        long now = System.nanoTime();
        for (String workerId : workerIds) {
            if (writes.due(workerId, now)) {
                heard.add(workerId);
            }
        }
    }

    private void flush() {
        if (heard.isEmpty() || !writing.compareAndSet(false, true)) {
            return;
        }
        List<String> batch = List.copyOf(heard);
        heard.removeAll(batch);
        long now = System.nanoTime();
        workerStore
                .touch(batch, resolution)
                .invoke(() -> batch.forEach(workerId -> writes.written(workerId, now)))
                .eventually(() -> writing.set(false))
                .subscribe()
                .with(
                        ignored -> {},
                        failure -> Log.debugf(
                                "could not refresh last_seen of %d workers: %s", batch.size(), failure.getMessage()));
    }
}
