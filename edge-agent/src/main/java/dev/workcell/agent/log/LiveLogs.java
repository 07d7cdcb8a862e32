package dev.workcell.agent.log;

import dev.workcell.proto.v1.LogChunk;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Carries the live logs of all attempts to the control plane in order through one bounded queue:
 * a sender thread passes chunks on while the stream takes them, a timer flushes every
 * {@link #FLUSH_INTERVAL}, and a chunk that finds the queue full is dropped, so memory stays bounded
 * however much a process prints.
 */
public final class LiveLogs implements AutoCloseable {

    /** How long a chunk waits to fill up while output flows. */
    public static final Duration FLUSH_INTERVAL = Duration.ofMillis(200);
    /** How often a blocked sender looks again whether the stream takes chunks. */
    static final Duration POLL = Duration.ofMillis(10);

    /** A chunk and the attempt log it belongs to. */
    private record Queued(AttemptLog owner, LogChunk chunk) {}

    private final LogSink sink;
    private final BlockingQueue<Queued> queue;
    private final ScheduledExecutorService flusher;
    private final Thread sender;

    /**
     * @param queueChunks how many chunks (each at most {@link LiveLog#CHUNK_BYTES}) may wait for the stream
     */
    public LiveLogs(LogSink sink, int queueChunks) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(queueChunks);
        this.flusher = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "live-log-flusher"));
        this.sender = daemon(this::sendForever, "live-log-sender");
        sender.start();
    }

    /** Starts the live log of an attempt; close or discard it when the attempt ends. */
    public AttemptLog open(String actionId, int attempt) {
        AttemptLog log = new AttemptLog(actionId, attempt, this);
        long interval = FLUSH_INTERVAL.toMillis();
        log.flushingBy(flusher.scheduleAtFixedRate(log::flush, interval, interval, TimeUnit.MILLISECONDS));
        return log;
    }

    /** Stops the sender and the timer; chunks still queued are dropped. */
    @Override
    public void close() {
        flusher.shutdownNow();
        sender.interrupt();
    }

    boolean enqueue(AttemptLog owner, LogChunk chunk) {
        return queue.offer(new Queued(owner, chunk));
    }

    boolean sinkReady() {
        return sink.ready();
    }

    private void sendForever() {
        try {
            while (true) {
                Queued next = queue.take();
                while (!next.owner().isDiscarded() && !sink.ready()) {
                    Thread.sleep(POLL.toMillis());
                }
                next.owner().sendTo(sink, next.chunk());
            }
        } catch (InterruptedException closed) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
