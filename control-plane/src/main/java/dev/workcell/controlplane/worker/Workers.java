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
import java.util.function.Function;

/**
 * The live workers of this control plane (the original's Workers): one entry per worker id, held
 * by the agent session that registered it last. Re-registering replaces the entry, a closed
 * session removes its own entries, so Find never returns a stale worker.
 */
@ApplicationScoped
public class Workers {

    /** A worker, the session that can reach it, and its target device's dimensions (what submits by dimensions match). */
    public record LiveWorker(Worker info, String targetSerial, AgentSession session,
                             SortedMap<String, SortedSet<String>> dimensions) {
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

    /** Registers workers for a session; returns the sessions they were taken from. */
    public List<AgentSession> register(List<LiveWorker> workers) {
        workers.forEach(worker -> idsByTarget.computeIfAbsent(worker.info().getTarget(), target -> ConcurrentHashMap.newKeySet())
                .add(worker.id()));
        return workers.stream()
                .map(worker -> byId.put(worker.id(), worker))
                .filter(previous -> previous != null)
                .map(LiveWorker::session)
                .distinct()
                .toList();
    }

    /** Takes these workers out of the live set, whoever held them; returns the sessions that did. */
    public List<AgentSession> takeOver(List<String> workerIds) {
        return workerIds.stream()
                .map(byId::remove)
                .filter(previous -> previous != null)
                .map(LiveWorker::session)
                .distinct()
                .toList();
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
        return worker != null && worker.session() == session && byId.remove(workerId, worker);
    }

    /** The live worker serving a target device that can take work now. */
    public Optional<LiveWorker> find(String targetId) {
        return idsByTarget.getOrDefault(targetId, Set.of()).stream()
                .filter(id -> !unavailable.contains(id))
                .map(byId::get)
                .filter(worker -> worker != null)
                .findFirst();
    }

    /** Gives the live workers of a target device new dimensions (an admin changed its labels), each computed from the worker. */
    public void redimension(String targetId, Function<LiveWorker, SortedMap<String, SortedSet<String>>> dimensions) {
        idsByTarget.getOrDefault(targetId, Set.of()).forEach(id -> byId.computeIfPresent(id,
                (ignored, worker) -> new LiveWorker(worker.info(), worker.targetSerial(), worker.session(), dimensions.apply(worker))));
    }

    /** Marks a worker's device as able to take work or not (its agent reported it offline). */
    public void setAvailable(String workerId, boolean available) {
        if (available) {
            unavailable.remove(workerId);
        } else {
            unavailable.add(workerId);
        }
    }

    /** The live workers of this replica whose devices can take work now. */
    public List<LiveWorker> available() {
        return byId.values().stream().filter(worker -> !unavailable.contains(worker.id())).toList();
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
