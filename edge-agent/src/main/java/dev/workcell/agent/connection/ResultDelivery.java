package dev.workcell.agent.connection;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

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

/**
 * Delivers the outbox on one thread, oldest result first: for each, its files are uploaded, then its
 * final update is sent on the welcomed session; every session gets every result not yet
 * acknowledged, and a result leaves the outbox only with its acknowledgement. A broken upload is
 * tried again, with backoff, from where it stopped.
 */
@ApplicationScoped
public class ResultDelivery {

    private static final Logger LOG = Logger.getLogger(ResultDelivery.class);
    /** How often the courier looks at the outbox even when nobody says something changed. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private final Outbox outbox;
    private final ResultUploads uploads;
    private final HeldAttempts held;
    private final ReconnectBackoff backoff;
    private final Map<AttemptKey, Session> sentOn = new ConcurrentHashMap<>();
    private final Object changes = new Object();
    private boolean changed;
    private volatile Session session;
    private Thread courier;

    ResultDelivery(Outbox outbox, ResultUploads uploads, HeldAttempts held, AgentConfig config) {
        this.outbox = outbox;
        this.uploads = uploads;
        this.held = held;
        this.backoff = new ReconnectBackoff(config.reconnect().initialDelay(), config.reconnect().maxDelay());
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

    /** Forgets a result the control plane acknowledged (accepted or not) for the status it has now. */
    void acknowledged(UpdateAck ack) {
        AttemptKey key = AttemptKey.of(ack);
        if (held.acknowledge(ack)) {
            outbox.remove(key.actionId(), key.attempt());
            sentOn.remove(key);
        }
    }

    private void deliverUntilStopped() {
        try {
            while (true) {
                Session to = session;
                Optional<SpooledResult> next = to != null && to.isOpen() ? firstUnsent(to) : Optional.empty();
                if (next.isPresent()) {
                    deliverOrPause(next.get(), to);
                } else {
                    awaitChange();
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers the result; after a failure, pauses (longer each time) before the courier tries again. */
    private void deliverOrPause(SpooledResult result, Session to) throws InterruptedException {
        try {
            deliver(result, to);
            backoff.reset();
        } catch (ArtifactException broken) {
            pause(broken.getMessage());
        } catch (RuntimeException unexpected) {
            LOG.errorf(unexpected, "delivering %s#%d from the outbox failed", result.actionId(), result.attempt());
            pause("delivering " + result.actionId() + "#" + result.attempt() + " failed");
        }
    }

    private void pause(String why) throws InterruptedException {
        Duration pause = backoff.next();
        LOG.warnf("%s; trying again in %d ms", why, pause.toMillis());
        Thread.sleep(pause.toMillis());
    }

    private Optional<SpooledResult> firstUnsent(Session to) {
        return outbox.results().stream().filter(result -> sentOn.get(key(result)) != to).findFirst();
    }

    /** Uploads the result's files, then sends its final update as the outbox now has it (refused files rewrite it). */
    private void deliver(SpooledResult result, Session to) throws InterruptedException {
        uploads.upload(result);
        Optional<SpooledResult> ready = outbox.result(result.actionId(), result.attempt());
        if (ready.isEmpty()) {
            return;
        }
        TaskUpdate update = ready.get().update();
        if (!update.equals(result.update())) {
            held.holdFinal(update);
        }
        to.send(update);
        sentOn.put(key(result), to);
    }

    private void wake() {
        synchronized (changes) {
            changed = true;
            changes.notifyAll();
        }
    }

    private void awaitChange() throws InterruptedException {
        synchronized (changes) {
            if (!changed) {
                changes.wait(IDLE_CHECK.toMillis());
            }
            changed = false;
        }
    }

    private static AttemptKey key(SpooledResult result) {
        return new AttemptKey(result.actionId(), result.attempt());
    }
}
