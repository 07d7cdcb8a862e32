package dev.workcell.agent.task;

import dev.workcell.agent.log.LiveLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Reads a process's output stream on its own thread to the end, keeping only its last bytes and passing all of them to its live log. */
final class OutputTail {

    private final byte[] ring;
    private final LiveLog live;
    private final Thread reader;
    private long total;

    private OutputTail(InputStream stream, int capacity, LiveLog live, String threadName) {
        this.ring = new byte[capacity];
        this.live = live;
        this.reader = new Thread(() -> readToEnd(stream), threadName);
        reader.setDaemon(true);
    }

    /** Starts reading the stream, keeping at most capacity bytes. */
    static OutputTail of(InputStream stream, int capacity, LiveLog live, String threadName) {
        OutputTail tail = new OutputTail(stream, capacity, live, threadName);
        tail.reader.start();
        return tail;
    }

    /** Waits up to the limit for the stream to end (a leftover child may keep it open longer). */
    void awaitEnd(Duration limit) throws InterruptedException {
        reader.join(Math.max(1, limit.toMillis()));
    }

    /** The kept bytes as text. */
    synchronized String text() {
        int kept = (int) Math.min(total, ring.length);
        int start = (int) (total % Math.max(1, ring.length));
        byte[] bytes = new byte[kept];
        if (total <= ring.length) {
            System.arraycopy(ring, 0, bytes, 0, kept);
        } else {
            System.arraycopy(ring, start, bytes, 0, ring.length - start);
            System.arraycopy(ring, 0, bytes, ring.length - start, start);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void readToEnd(InputStream stream) {
        byte[] buffer = new byte[8192];
        try (stream) {
            for (int n = stream.read(buffer); n >= 0; n = stream.read(buffer)) {
                append(buffer, n);
                live.append(buffer, n);
            }
        } catch (IOException streamBroke) {
            // keep what was read: the tail is all anyone gets
        }
    }

    private synchronized void append(byte[] bytes, int length) {
        int skipped = Math.max(0, length - ring.length);
        total += skipped;
        for (int i = skipped; i < length; ) {
            int position = (int) (total % ring.length);
            int chunk = Math.min(length - i, ring.length - position);
            System.arraycopy(bytes, i, ring, position, chunk);
            i += chunk;
            total += chunk;
        }
    }
}
