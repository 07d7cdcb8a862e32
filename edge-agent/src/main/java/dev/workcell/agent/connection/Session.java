package dev.workcell.agent.connection;

import java.time.Duration;

import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.Heartbeat;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.Welcome;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

/** One stream to the control plane: Hello first, then heartbeats and task updates; updates flow only once welcomed. */
final class Session {

    private static final AgentMessage HEARTBEAT = AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build();

    private final Hello hello;
    private final Duration heartbeatInterval;
    private volatile MultiEmitter<? super AgentMessage> updates;
    private volatile Welcome welcome;

    Session(Hello hello, Duration heartbeatInterval) {
        this.hello = hello;
        this.heartbeatInterval = heartbeatInterval;
    }

    /** What the agent sends on this stream. */
    Multi<AgentMessage> outbound() {
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().item(AgentMessage.newBuilder().setHello(hello).build()),
                Multi.createBy().merging().streams(updates(), heartbeats()));
    }

    Hello hello() {
        return hello;
    }

    /** Remembers the control plane's answer; from now on updates are sent. */
    void welcomed(Welcome welcome) {
        this.welcome = welcome;
    }

    /** Sends the update if the session is welcomed and open; otherwise drops it (finals are held and sent again). */
    void send(TaskUpdate update) {
        MultiEmitter<? super AgentMessage> emitter = updates;
        if (welcome != null && emitter != null && !emitter.isCancelled()) {
            emitter.emit(AgentMessage.newBuilder().setUpdate(update).build());
        }
    }

    /** Ends the outbound stream. */
    void close() {
        MultiEmitter<? super AgentMessage> emitter = updates;
        if (emitter != null) {
            emitter.complete();
        }
    }

    private Multi<AgentMessage> updates() {
        return Multi.createFrom().emitter(emitter -> updates = emitter);
    }

    private Multi<AgentMessage> heartbeats() {
        return Multi.createFrom().ticks().every(heartbeatInterval)
                .onOverflow().drop()
                .map(tick -> HEARTBEAT);
    }
}
