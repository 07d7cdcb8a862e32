package dev.workcell.controlplane.worker;

import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Worker;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.List;
import java.util.UUID;

/** One open agent stream: what it registered, and the way to push messages down to it. */
public final class AgentSession {

    private final String id = UUID.randomUUID().toString();
    private final MultiEmitter<? super ControlMessage> outbound;
    private volatile String hostId = "";
    private volatile List<Worker> workers = List.of();

    public AgentSession(MultiEmitter<? super ControlMessage> outbound) {
        this.outbound = outbound;
    }

    public String id() {
        return id;
    }

    public String hostId() {
        return hostId;
    }

    public List<Worker> workers() {
        return workers;
    }

    public boolean registered() {
        return !hostId.isEmpty();
    }

    public boolean holds(String workerId) {
        return workers.stream().anyMatch(worker -> worker.getId().equals(workerId));
    }

    void attach(String hostId, List<Worker> workers) {
        this.hostId = hostId;
        this.workers = List.copyOf(workers);
    }

    /** Pushes a message; false when the stream is already closed. */
    public boolean push(ControlMessage message) {
        if (outbound.isCancelled()) {
            return false;
        }
        outbound.emit(message);
        return true;
    }

    public boolean open() {
        return !outbound.isCancelled();
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
