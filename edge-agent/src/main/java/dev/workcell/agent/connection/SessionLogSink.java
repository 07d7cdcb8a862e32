package dev.workcell.agent.connection;

import dev.workcell.agent.log.LogSink;
import dev.workcell.proto.v1.LogChunk;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends live log chunks on the agent's current session, when it is welcomed and its stream keeps up. */
@ApplicationScoped
public class SessionLogSink implements LogSink {

    private final AgentProtocol protocol;
    private final ConnectCall stream;

    SessionLogSink(AgentProtocol protocol, ConnectCall stream) {
        this.protocol = protocol;
        this.stream = stream;
    }

    @Override
    public boolean ready() {
        Session session = protocol.current();
        return session != null && session.isOpen() && stream.isReady();
    }

    @Override
    public void send(LogChunk chunk) {
        Session session = protocol.current();
        if (session != null) {
            session.send(chunk);
        }
    }
}
