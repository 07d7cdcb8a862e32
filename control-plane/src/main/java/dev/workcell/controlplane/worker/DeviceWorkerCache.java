package dev.workcell.controlplane.worker;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.ClusterMessage.WorkersChanged;
import dev.workcell.proto.v1.Worker;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workers of each device a submit named (by id or by serial), as last read from the database,
 * so that submits to a known device read no table. Any change of the workers table, on this replica
 * or another, forgets them all: changes come with registrations and disconnects, which are rare next
 * to submits, and one read brings a device back. A read that raced with a change is not kept.
 * Entries also expire after {@link #MAX_AGE}, which bounds the staleness a lost cluster notification
 * could leave. What a submit takes from an entry (ids, names, operations, which worker comes first)
 * changes only with the workers table; its flags (live, draining, quarantined) are as of the read.
 */
@ApplicationScoped
public class DeviceWorkerCache {

    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private final ClusterBus bus;
    private final Map<String, Entry> byIdOrSerial = new ConcurrentHashMap<>();
    /** Counts the changes seen so far: a read started before the latest one is not kept. */
    private final AtomicLong changes = new AtomicLong();

    public DeviceWorkerCache(ClusterBus bus) {
        this.bus = bus;
        bus.on(WorkersChanged.class, ignored -> forgetAll());
    }

    private record Entry(List<Worker> workers, long readAt) {}

    /** The workers of the device with this id or serial, if read recently and unchanged since. */
    Optional<List<Worker>> get(String idOrSerial) {
        Entry entry = byIdOrSerial.get(idOrSerial);
        if (entry == null || System.nanoTime() - entry.readAt() > MAX_AGE.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(entry.workers());
    }

    /** The count of changes to give {@link #keep} with what is read from now on. */
    long changesSoFar() {
        return changes.get();
    }

    /** Keeps what was read for a device, unless the workers changed since the read began or it found none. */
    void keep(String idOrSerial, List<Worker> workers, long changesBeforeRead) {
        if (workers.isEmpty() || changes.get() != changesBeforeRead) {
            return;
        }
        Entry entry = new Entry(List.copyOf(workers), System.nanoTime());
        byIdOrSerial.put(idOrSerial, entry);
        if (changes.get() != changesBeforeRead) {
            byIdOrSerial.remove(idOrSerial, entry); // a change came between the check and the put
        }
    }

    /** The workers table changed through this replica: forget here and on the other replicas. */
    void changed() {
        forgetAll();
        bus.tellSoon(new WorkersChanged(List.of("all")));
    }

    private void forgetAll() {
        changes.incrementAndGet();
        byIdOrSerial.clear();
    }
}
