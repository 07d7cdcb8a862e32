package dev.workcell.agent.log;

import dev.workcell.proto.v1.LogChunk;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A log sink that keeps what it is sent, and takes chunks only while a test lets it. */
public final class RecordingSink implements LogSink {

    private final List<LogChunk> chunks = new CopyOnWriteArrayList<>();
    private volatile boolean ready = true;

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public void send(LogChunk chunk) {
        chunks.add(chunk);
    }

    /** Makes the sink take chunks, or stop taking them (as a stream that is down or backed up). */
    public void ready(boolean takes) {
        ready = takes;
    }

    public List<LogChunk> chunks() {
        return List.copyOf(chunks);
    }
}
