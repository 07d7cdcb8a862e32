package dev.workcell.controlplane.action;

import dev.workcell.proto.v1.Action;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Every committed change of an action, for watchers. Each watcher gets its own bounded buffer: a
 * slow watcher loses its stream when the buffer overflows; it never slows the ledger down.
 */
@ApplicationScoped
public class ActionChanges {

    private static final Logger LOG = Logger.getLogger(ActionChanges.class);
    static final int WATCHER_BUFFER = 4096;

    private final BroadcastProcessor<Action> processor = BroadcastProcessor.create();
    private final Object lock = new Object();

    public void publish(Action action) {
        synchronized (lock) {
            processor.onNext(action);
        }
    }

    /** Changes from now on. */
    public Multi<Action> stream() {
        return processor
                .onOverflow().buffer(WATCHER_BUFFER)
                .onFailure(BackPressureFailure.class).invoke(() -> LOG.warn("a watcher fell behind and was disconnected"));
    }
}
