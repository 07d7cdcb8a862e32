package dev.workcell.agent.connection;

import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.Heartbeat;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.TaskUpdateBatch;
import dev.workcell.proto.v1.Welcome;
import dev.workcell.proto.v1.WorkersChanged;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One stream to the control plane: Hello first, then heartbeats with device states, task updates and
 * device changes; updates and device changes flow only once welcomed.
 */
final class Session {

    private final Hello hello;
    private final Duration heartbeatInterval;
    private final Supplier<Heartbeat> heartbeats;
    private final LiveTargets targets;
    private volatile MultiEmitter<? super AgentMessage> outbound;
    private volatile Welcome welcome;
    private final AtomicBoolean closed = new AtomicBoolean();

    Session(Hello hello, Duration heartbeatInterval, Supplier<Heartbeat> heartbeats) {
        this.hello = hello;
        this.heartbeatInterval = heartbeatInterval;
        this.heartbeats = heartbeats;
        this.targets = new LiveTargets(hello.getTargetsList());
    }

    /** What the agent sends on this stream: Hello, then heartbeats and updates until closed. */
    Multi<AgentMessage> outbound() {
        return Multi.createFrom().emitter(emitter -> {
            outbound = emitter;
            emitter.emit(AgentMessage.newBuilder().setHello(hello).build());
            Cancellable heartbeats = Multi.createFrom()
                    .ticks()
                    .every(heartbeatInterval)
                    .subscribe()
                    .with(tick -> emitter.emit(heartbeatMessage()));
            emitter.onTermination(heartbeats::cancel);
        });
    }

    Hello hello() {
        return hello;
    }

    /** Remembers the control plane's answer (host and worker ids); from now on updates are sent. */
    void welcomed(Welcome welcome) {
        this.welcome = welcome;
    }

    /** Sends the update if the session is welcomed and open; otherwise drops it (finals are held and sent again). */
    void send(TaskUpdate update) {
        MultiEmitter<? super AgentMessage> emitter = outbound;
        if (welcome != null && emitter != null && !emitter.isCancelled()) {
            emitter.emit(AgentMessage.newBuilder().setUpdate(update).build());
        }
    }

    /**
     * Sends the updates if the session is welcomed and open (else drops them, as {@link #send(TaskUpdate)}):
     * several in one message when the control plane accepts that, one by one otherwise.
     *
     * @return whether they went in one message
     */
    boolean send(List<TaskUpdate> updates) {
        MultiEmitter<? super AgentMessage> emitter = outbound;
        if (updates.size() > 1
                && welcome != null
                && welcome.getAcceptsUpdateBatches()
                && emitter != null
                && !emitter.isCancelled()) {
            emitter.emit(AgentMessage.newBuilder()
                    .setUpdateBatch(TaskUpdateBatch.newBuilder().addAllUpdates(updates))
                    .build());
            return true;
        }
        updates.forEach(this::send);
        return false;
    }

    /** Sends a heartbeat now, besides the regular ones, if the session is open. */
    void heartbeat() {
        MultiEmitter<? super AgentMessage> emitter = outbound;
        if (emitter != null && !emitter.isCancelled()) {
            emitter.emit(heartbeatMessage());
        }
    }

    /** Tells the control plane which targets came, went or changed since it last heard, if the session is welcomed and open. */
    synchronized void announce(List<TargetDevice> current) {
        MultiEmitter<? super AgentMessage> emitter = outbound;
        if (welcome != null && emitter != null && !emitter.isCancelled()) {
            targets.update(current)
                    .ifPresent(changed -> emitter.emit(
                            AgentMessage.newBuilder().setDevices(changed).build()));
        }
    }

    /** The workers the control plane added for announced devices, each as "id (serial)". */
    List<String> workersAdded(WorkersChanged workers) {
        return targets.answered(workers);
    }

    private AgentMessage heartbeatMessage() {
        return AgentMessage.newBuilder().setHeartbeat(heartbeats.get()).build();
    }

    /** Whether the session is welcomed and not yet closed: what it is sent now may arrive. */
    boolean isOpen() {
        MultiEmitter<? super AgentMessage> emitter = outbound;
        return welcome != null && emitter != null && !emitter.isCancelled() && !closed.get();
    }

    /** Sends a live log chunk if the session is open; otherwise drops it. */
    void send(LogChunk chunk) {
        MultiEmitter<? super AgentMessage> emitter = outbound;
        if (isOpen()) {
            emitter.emit(AgentMessage.newBuilder().setLog(chunk).build());
        }
    }

    /**
     * Ends what the agent sends (a half-close): the control plane then ends the stream.
     *
     * @return whether the session was still open
     */
    boolean close() {
        MultiEmitter<? super AgentMessage> emitter = outbound;
        if (closed.compareAndSet(false, true) && emitter != null) {
            emitter.complete();
            return true;
        }
        return false;
    }
}
