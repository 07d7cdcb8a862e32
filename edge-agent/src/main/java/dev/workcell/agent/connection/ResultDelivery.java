package dev.workcell.agent.connection;

import dev.workcell.agent.artifact.ArtifactException;
import dev.workcell.agent.artifact.ResultUploads;
import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.outbox.Outbox;
import dev.workcell.agent.outbox.SpooledResult;
import dev.workcell.agent.task.AttemptKey;
import dev.workcell.agent.task.HeldAttempts;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox on one thread, oldest result first: for each, its files are uploaded, then its
 * final update is sent on the welcomed session, those ready together in one message (see
 * {@link Session#send(List)}); every session gets every result not yet acknowledged, and a result
 * leaves the outbox only with its acknowledgement. A broken upload is tried again, with backoff,
 * from where it stopped. The outbox is written on this thread only, never on the stream's.
 */
@ApplicationScoped
public class ResultDelivery {

    private static final Logger LOG = Logger.getLogger(ResultDelivery.class);
    /** How often the courier looks at the outbox even when nobody says something changed. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);
    /** Final updates sent in one message at most. */
    static final int MAX_BATCH = 64;

    private final Outbox outbox;
    private final ResultUploads uploads;
    private final HeldAttempts held;
    private final ReconnectBackoff backoff;
    private final Map<AttemptKey, Session> sentOn = new ConcurrentHashMap<>();
    private final Queue<Runnable> outboxWork = new ConcurrentLinkedQueue<>();
    private final Object changes = new Object();
    private boolean changed;
    private volatile Session session;
    private Thread courier;

    ResultDelivery(Outbox outbox, ResultUploads uploads, HeldAttempts held, AgentConfig config) {
        this.outbox = outbox;
        this.uploads = uploads;
        this.held = held;
        this.backoff = new ReconnectBackoff(
                config.reconnect().initialDelay(), config.reconnect().maxDelay());
    }

    void start(@Observes StartupEvent event) {
        courier = new Thread(this::deliverUntilStopped, "outbox-courier");
        courier.setDaemon(true);
        courier.start();
    }

    void stop(@Observes ShutdownEvent event) {
        courier.interrupt();
    }

    /** From now on, deliver to this session: every result in the outbox, again, in order. */
    void welcomed(Session welcomed) {
        session = welcomed;
        sentOn.clear();
        wake();
    }

    /** A new result is in the outbox. */
    void deliver() {
        wake();
    }

    /**
     * Forgets a result the control plane acknowledged (accepted or not) for the status it has now;
     * the courier removes it from the outbox, so that the stream's thread never waits on the disk.
     */
    void acknowledged(UpdateAck ack) {
        if (held.acknowledge(ack)) {
            AttemptKey key = AttemptKey.of(ack);
            onCourier(() -> {
                outbox.remove(key.actionId(), key.attempt());
                sentOn.remove(key);
            });
        }
    }

    /** Runs an outbox write on the courier thread, before it delivers anything more (and during its pauses). */
    void onCourier(Runnable write) {
        outboxWork.add(write);
        wake();
    }

    private void deliverUntilStopped() {
        try {
            while (true) {
                runOutboxWork();
                Session to = session;
                List<SpooledResult> unsent = to != null && to.isOpen() ? unsent(to) : List.of();
                if (!unsent.isEmpty()) {
                    deliverOrPause(unsent, to);
                } else {
                    awaitChange(IDLE_CHECK.toMillis());
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private void runOutboxWork() {
        for (Runnable write = outboxWork.poll(); write != null; write = outboxWork.poll()) {
            try {
                write.run();
            } catch (RuntimeException unexpected) {
                LOG.errorf(unexpected, "an outbox write failed");
            }
        }
    }

    /**
     * Delivers the results in order up to the first that cannot be (its upload broke): those before
     * it in one message; after a failure, pauses (longer each time) before the courier tries again.
     */
    private void deliverOrPause(List<SpooledResult> unsent, Session to) throws InterruptedException {
        List<TaskUpdate> ready = new ArrayList<>();
        List<AttemptKey> keys = new ArrayList<>();
        String trouble = null;
        for (SpooledResult result : unsent) {
            try {
                Optional<TaskUpdate> update = uploaded(result);
                if (update.isPresent()) {
                    ready.add(update.get());
                    keys.add(key(result));
                }
            } catch (ArtifactException broken) {
                trouble = broken.getMessage();
                break;
            } catch (RuntimeException unexpected) {
                LOG.errorf(unexpected, "delivering %s#%d from the outbox failed", result.actionId(), result.attempt());
                trouble = "delivering " + result.actionId() + "#" + result.attempt() + " failed";
                break;
            }
        }
        if (!ready.isEmpty()) {
            if (to.send(ready)) {
                LOG.debugf("sent %d final updates in one message", ready.size());
            }
            keys.forEach(key -> sentOn.put(key, to));
        }
        if (trouble == null) {
            backoff.reset();
        } else {
            pause(trouble);
        }
    }

    /** Waits before delivering again, doing the outbox writes asked for meanwhile. */
    private void pause(String why) throws InterruptedException {
        Duration pause = backoff.next();
        LOG.warnf("%s; trying again in %d ms", why, pause.toMillis());
        long until = System.nanoTime() + pause.toNanos();
        for (long left = pause.toMillis(); left > 0; left = (until - System.nanoTime()) / 1_000_000) {
            awaitChange(left);
            runOutboxWork();
        }
    }

    private List<SpooledResult> unsent(Session to) {
        return outbox.results().stream()
                .filter(result -> sentOn.get(key(result)) != to)
                .limit(MAX_BATCH)
                .toList();
    }

    /** Uploads the result's files, then answers its final update as the outbox now has it (refused files rewrite it). */
    private Optional<TaskUpdate> uploaded(SpooledResult result) throws InterruptedException {
        uploads.upload(result);
        Optional<SpooledResult> ready = outbox.result(result.actionId(), result.attempt());
        if (ready.isEmpty()) {
            return Optional.empty();
        }
        TaskUpdate update = ready.get().update();
        if (!update.equals(result.update())) {
            held.holdFinal(update);
        }
        return Optional.of(update);
    }

    private void wake() {
        synchronized (changes) {
            changed = true;
            changes.notifyAll();
        }
    }

    private void awaitChange(long millis) throws InterruptedException {
        synchronized (changes) {
            if (!changed) {
                changes.wait(millis);
            }
            changed = false;
        }
    }

    private static AttemptKey key(SpooledResult result) {
        return new AttemptKey(result.actionId(), result.attempt());
    }
}
