package dev.workcell.controlplane.worker;

import dev.workcell.controlplane.security.Caller;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.DeviceStatus;
import dev.workcell.proto.v1.Worker;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open agent stream: the workers it registered (devices come and go while it is open), the
 * last device states it reported, and the way to push messages down to it.
 */
public final class AgentSession {

    private final String id = UUID.randomUUID().toString();
    private final MultiEmitter<? super ControlMessage> outbound;
    private volatile String hostId = "";
    private volatile String hostName = "";
    private final Map<String, Worker> workersBySerial = new ConcurrentHashMap<>();
    private final Set<String> registeredWorkerIds = ConcurrentHashMap.newKeySet();
    /** {@link #registeredWorkerIds} as a list, copied when it grows rather than on each report read. */
    private volatile List<String> registeredWorkerIdList = List.of();

    private final Map<String, DeviceStatus> lastStatus = new ConcurrentHashMap<>();
    private volatile long lastHeardNanos = System.nanoTime();

    private final Caller agent;

    public AgentSession(MultiEmitter<? super ControlMessage> outbound, Caller agent) {
        this.outbound = outbound;
        this.agent = agent;
    }

    /** The enrolled agent whose credential opened this stream. */
    public String agentId() {
        return agent.id();
    }

    /** The only host this stream may register as. */
    public String enrolledHostId() {
        return agent.agentHostId();
    }

    public String id() {
        return id;
    }

    public String hostId() {
        return hostId;
    }

    /** Workers whose devices are present now. */
    public List<Worker> workers() {
        return List.copyOf(workersBySerial.values());
    }

    public boolean registered() {
        return !hostId.isEmpty();
    }

    /**
     * Whether this stream may report on attempts of a worker: any worker it registered, even one
     * whose device has since gone (its last attempt still has to be reported).
     */
    public boolean holds(String workerId) {
        return registeredWorkerIds.contains(workerId);
    }

    /** Every worker this stream registered, present or gone. */
    public List<String> registeredWorkerIds() {
        return registeredWorkerIdList;
    }

    public Optional<Worker> workerOf(String serial) {
        return Optional.ofNullable(workersBySerial.get(serial));
    }

    public void attach(String hostId, String hostName) {
        this.hostName = hostName;
        this.hostId = hostId;
    }

    /** The host's name, as its agent described it. */
    public String hostName() {
        return hostName;
    }

    public void add(String serial, Worker worker) {
        workersBySerial.put(serial, worker);
        if (registeredWorkerIds.add(worker.getId())) {
            synchronized (this) {
                registeredWorkerIdList = List.copyOf(registeredWorkerIds);
            }
        }
    }

    public Optional<Worker> remove(String serial) {
        return Optional.ofNullable(workersBySerial.remove(serial));
    }

    /** Records a device's reported state; true when it differs from the last report. */
    public boolean changed(DeviceStatus status) {
        return !status.equals(lastStatus.put(status.getSerial(), status));
    }

    /** Pushes a message; false when the stream is already closed. */
    public boolean push(ControlMessage message) {
        if (outbound.isCancelled()) {
            return false;
        }
        outbound.emit(message);
        return true;
    }

    /** Notes that the agent said something just now. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** How long the agent has said nothing. */
    java.time.Duration silentFor() {
        return java.time.Duration.ofNanos(System.nanoTime() - lastHeardNanos);
    }

    /** Ends the stream with an error, e.g. when the agent went silent. */
    public void fail(io.grpc.Status status) {
        outbound.fail(status.asRuntimeException());
    }

    /** Ends the stream, e.g. when a newer connection of the same agent replaced this one. */
    public void close() {
        outbound.complete();
    }

    @Override
    public String toString() {
        return "session " + id + " of host " + hostId;
    }
}
