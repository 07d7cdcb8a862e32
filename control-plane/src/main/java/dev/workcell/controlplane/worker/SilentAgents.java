package dev.workcell.controlplane.worker;

import dev.workcell.controlplane.config.WorkcellConfig;
import io.grpc.Status;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Closes the streams of agents that went silent (a stalled network sends no FIN, so the stream
 * itself may look open for a long time): no message for {@code workcell.liveness.silence} and the
 * agent is offline, its attempts leased as for any disconnect.
 */
@ApplicationScoped
public class SilentAgents {

    private final Workers workers;
    private final Vertx vertx;
    private final Duration silence;

    public SilentAgents(Workers workers, Vertx vertx, WorkcellConfig config) {
        this.workers = workers;
        this.vertx = vertx;
        this.silence = config.liveness().silence();
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(Math.max(100, silence.toMillis() / 5), ignored -> closeSilent());
    }

    private void closeSilent() {
        workers.sessions().stream()
                .filter(session -> session.silentFor().compareTo(silence) > 0)
                .forEach(session -> {
                    Log.warnf("%s said nothing for %s; closing it", session, session.silentFor());
                    session.fail(Status.UNAVAILABLE.withDescription("no message from the agent for " + silence));
                });
    }
}
