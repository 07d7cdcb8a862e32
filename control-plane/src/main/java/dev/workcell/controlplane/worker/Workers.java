package dev.workcell.controlplane.worker;

import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.Worker;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The live workers of this control plane (the original's Workers): one entry per worker id, held
 * by the agent session that registered it last. Re-registering replaces the entry, a closed
 * session removes its own entries, so Find never returns a stale worker.
 */
@ApplicationScoped
public class Workers {

    /** A worker, the session that can reach it, and its target device's dimensions (what submits by dimensions match). */
    public record LiveWorker(
            Worker info, String targetSerial, AgentSession session, SortedMap<String, SortedSet<String>> dimensions) {
        public String id() {
            return info.getId();
        }

        public List<Operation> operations() {
            return info.getOperationsList();
        }
    }

    private final Map<String, LiveWorker> byId = new ConcurrentHashMap<>();
    /** Worker ids by target id, for the lookup of every dispatch; ids stay when their worker leaves (byId says who is live). */
    private final Map<String, Set<String>> idsByTarget = new ConcurrentHashMap<>();

    private final java.util.Set<String> unavailable = ConcurrentHashMap.newKeySet();
    /** Counts the changes of the live set (workers in, out, or with new dimensions): what caches of it compare. */
    private final AtomicLong changes = new AtomicLong();

    /** Registers workers for a session; returns the sessions they were taken from. */
    public List<AgentSession> register(List<LiveWorker> workers) {
        workers.forEach(worker -> idsByTarget
                .computeIfAbsent(worker.info().getTarget(), target -> ConcurrentHashMap.newKeySet())
                .add(worker.id()));
        List<AgentSession> replaced = workers.stream()
                .map(worker -> byId.put(worker.id(), worker))
                .filter(previous -> previous != null)
                .map(LiveWorker::session)
                .distinct()
                .toList();
        changes.incrementAndGet();
        return replaced;
    }

    /** Takes these workers out of the live set, whoever held them; returns the sessions that did. */
    public List<AgentSession> takeOver(List<String> workerIds) {
        List<AgentSession> previous = workerIds.stream()
                .map(byId::remove)
                .filter(removed -> removed != null)
                .map(LiveWorker::session)
                .distinct()
                .toList();
        changes.incrementAndGet();
        return previous;
    }

    /** Removes the workers this session still holds and returns their ids. */
    public List<String> unregister(AgentSession session) {
        return session.registeredWorkerIds().stream()
                .filter(workerId -> unregister(session, workerId))
                .toList();
    }

    /** Removes one worker if this session still holds it. */
    public boolean unregister(AgentSession session, String workerId) {
        LiveWorker worker = byId.get(workerId);
        boolean removed = worker != null && worker.session() == session && byId.remove(workerId, worker);
        if (removed) {
            changes.incrementAndGet();
        }
        return removed;
    }

    /** The live worker serving a target device that can take work now. */
    public Optional<LiveWorker> find(String targetId) {
        for (String id : idsByTarget.getOrDefault(targetId, Set.of())) {
            LiveWorker worker = unavailable.contains(id) ? null : byId.get(id);
            if (worker != null) {
                return Optional.of(worker);
            }
        }
        return Optional.empty();
    }

    /** Gives the live workers of a target device new dimensions (an admin changed its labels), each computed from the worker. */
    public void redimension(String targetId, Function<LiveWorker, SortedMap<String, SortedSet<String>>> dimensions) {
        idsByTarget
                .getOrDefault(targetId, Set.of())
                .forEach(id -> byId.computeIfPresent(
                        id,
                        (ignored, worker) -> new LiveWorker(
                                worker.info(), worker.targetSerial(), worker.session(), dimensions.apply(worker))));
        changes.incrementAndGet();
    }

    /** How many times the live set changed so far: a cache of it built at one count holds while the count stays. */
    public long changes() {
        return changes.get();
    }

    /** Every live worker of this replica, whether its device can take work now or not. */
    public List<LiveWorker> all() {
        return List.copyOf(byId.values());
    }

    /** Whether a worker's device can take work now (its agent did not report it offline). */
    public boolean isAvailable(String workerId) {
        return !unavailable.contains(workerId);
    }

    /** Marks a worker's device as able to take work or not (its agent reported it offline). */
    public void setAvailable(String workerId, boolean available) {
        if (available) {
            unavailable.remove(workerId);
        } else {
            unavailable.add(workerId);
        }
    }

    public Optional<LiveWorker> byId(String workerId) {
        return Optional.ofNullable(byId.get(workerId));
    }

    /** The workers whose agents are connected to this replica. */
    public List<Worker> localWorkers() {
        return byId.values().stream().map(LiveWorker::info).toList();
    }

    /** Pushes a message to a worker's agent if it is connected here; false otherwise. */
    public boolean pushTo(String workerId, dev.workcell.proto.v1.ControlMessage message) {
        LiveWorker worker = byId.get(workerId);
        return worker != null && worker.session().push(message);
    }

    /** The sessions holding live workers. */
    public List<AgentSession> sessions() {
        return byId.values().stream().map(LiveWorker::session).distinct().toList();
    }

    public boolean isLive(String workerId) {
        return byId.containsKey(workerId);
    }
}
