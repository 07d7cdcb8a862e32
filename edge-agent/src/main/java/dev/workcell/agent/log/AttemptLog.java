package dev.workcell.agent.log;

import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.jboss.logging.Logger;

/**
 * The live log of one attempt: its stdout and stderr chunks on their way to the control plane,
 * counted until sent, and dropped (with one warning) when the way is blocked.
 */
public final class AttemptLog {

    private static final Logger LOG = Logger.getLogger(AttemptLog.class);

    private final String actionId;
    private final int attempt;
    private final LiveLogs logs;
    private final LiveLog stdout = new LiveLog(this, LogStream.STDOUT);
    private final LiveLog stderr = new LiveLog(this, LogStream.STDERR);
    private ScheduledFuture<?> flushes;
    private int queued;
    private boolean discarded;
    private boolean warned;

    AttemptLog(String actionId, int attempt, LiveLogs logs) {
        this.actionId = actionId;
        this.attempt = attempt;
        this.logs = logs;
    }

    public LiveLog stdout() {
        return stdout;
    }

    public LiveLog stderr() {
        return stderr;
    }

    String actionId() {
        return actionId;
    }

    int attempt() {
        return attempt;
    }

    /** Remembers the periodic flush, to stop it at the end. */
    void flushingBy(ScheduledFuture<?> flushes) {
        this.flushes = flushes;
    }

    /** Sends on what both streams buffered. */
    void flush() {
        stdout.flush();
        stderr.flush();
    }

    /**
     * Ends the live log of an attempt that ran to its end: sends what is buffered and waits, at most
     * the limit and only while the stream takes chunks, for them to leave; what is left is dropped.
     */
    public void close(Duration limit) throws InterruptedException {
        flushes.cancel(false);
        flush();
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            while (queued > 0 && logs.sinkReady() && System.nanoTime() < deadline) {
                wait(LiveLogs.POLL.toMillis());
            }
            if (queued > 0) {
                warnDropping();
            }
        }
        discard();
    }

    /** Stops the live log at once (a cancelled attempt): nothing more of it is sent. */
    public synchronized void discard() {
        discarded = true;
        if (flushes != null) {
            flushes.cancel(false);
        }
    }

    synchronized boolean isDiscarded() {
        return discarded;
    }

    /** Queues a chunk unless the log is discarded; a full queue drops it. */
    void offer(LogChunk chunk) {
        synchronized (this) {
            if (discarded) {
                return;
            }
            queued++;
        }
        if (!logs.enqueue(this, chunk)) {
            dropped();
        }
    }

    /** Sends a queued chunk, unless the log was discarded meanwhile; nothing is sent after a discard. */
    synchronized void sendTo(LogSink sink, LogChunk chunk) {
        try {
            if (!discarded) {
                sink.send(chunk);
            }
        } catch (RuntimeException streamBroke) {
            warnDropping();
        } finally {
            queued--;
            notifyAll();
        }
    }

    private synchronized void dropped() {
        queued--;
        notifyAll();
        warnDropping();
    }

    private void warnDropping() {
        if (!warned) {
            warned = true;
            LOG.warnf(
                    "live log of attempt %s#%d: dropping output, the stream to the control plane is down or too slow"
                            + " (the final result still carries the last bytes of stdout and stderr)",
                    actionId, attempt);
        }
    }
}
