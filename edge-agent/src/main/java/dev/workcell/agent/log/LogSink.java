package dev.workcell.agent.log;

import dev.workcell.proto.v1.LogChunk;

/** Where live log chunks go: the stream to the control plane, when it can take them. */
public interface LogSink {

    /** Whether a chunk sent now would go out without piling up in memory: connected, welcomed, not backed up. */
    boolean ready();

    /** Sends the chunk, or drops it if the stream closed in the meantime. */
    void send(LogChunk chunk);
}
