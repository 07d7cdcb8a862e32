package dev.workcell.agent.log;

import com.google.protobuf.ByteString;
import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;

/**
 * Cuts one output stream of one attempt into chunks of at most {@link #CHUNK_BYTES}, each with its
 * byte offset within the stream; a chunk leaves when it is full or when its owner flushes it.
 */
public final class LiveLog {

    /** The largest chunk sent. */
    public static final int CHUNK_BYTES = 16 * 1024;

    private final AttemptLog owner;
    private final LogStream stream;
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private int buffered;
    private long offset;

    LiveLog(AttemptLog owner, LogStream stream) {
        this.owner = owner;
        this.stream = stream;
    }

    /** Adds what the process wrote; never blocks on the network. */
    public synchronized void append(byte[] bytes, int length) {
        for (int i = 0; i < length; ) {
            int n = Math.min(length - i, CHUNK_BYTES - buffered);
            System.arraycopy(bytes, i, buffer, buffered, n);
            buffered += n;
            i += n;
            if (buffered == CHUNK_BYTES) {
                flush();
            }
        }
    }

    /** Hands what is buffered to the owner as one chunk, if anything is. */
    synchronized void flush() {
        if (buffered == 0) {
            return;
        }
        LogChunk chunk = LogChunk.newBuilder()
                .setActionId(owner.actionId())
                .setAttempt(owner.attempt())
                .setStream(stream)
                .setOffset(offset)
                .setData(ByteString.copyFrom(buffer, 0, buffered))
                .build();
        offset += buffered;
        buffered = 0;
        owner.offer(chunk);
    }
}
