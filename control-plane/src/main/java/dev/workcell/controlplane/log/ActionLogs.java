package dev.workcell.controlplane.log;

import dev.workcell.controlplane.action.ActionLookup;
import dev.workcell.controlplane.action.ActionStateMachine;
import dev.workcell.controlplane.cluster.ReplicaDrain;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.GetLogRequest;
import dev.workcell.proto.v1.LogChunk;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Reading an attempt's log: what is stored, and with follow, what arrives until the attempt ends.
 * Following polls the store in arrival order (every {@link #FOLLOW_INTERVAL}), so a follower needs
 * no buffer of its own, cannot miss a chunk between "stored" and "live", and a slow follower
 * only reads later. A follower of a draining replica is ended when it hands over (UNAVAILABLE):
 * it follows again through another replica.
 */
@ApplicationScoped
public class ActionLogs {

    static final Duration FOLLOW_INTERVAL = Duration.ofMillis(150);

    private final ActionLookup lookup;
    private final LogStore store;
    private final ReplicaDrain drain;

    public ActionLogs(ActionLookup lookup, LogStore store, ReplicaDrain drain) {
        this.lookup = lookup;
        this.store = store;
        this.drain = drain;
    }

    public Multi<LogChunk> read(GetLogRequest request) {
        if (request.getAttempt() < 0) {
            return Multi.createFrom().failure(new InvalidRequestException("attempt", "must not be negative"));
        }
        return lookup.get(request.getId()).onItem().transformToMulti(action -> {
            int attempt = request.getAttempt() == 0 ? action.getAttempt() : request.getAttempt();
            if (attempt > action.getAttempt()) {
                return Multi.createFrom()
                        .failure(new InvalidRequestException(
                                "attempt", "action " + action.getId() + " is at attempt " + action.getAttempt()));
            }
            return pages(action.getId(), attempt, request.getFollow());
        });
    }

    private Multi<LogChunk> pages(String actionId, int attempt, boolean follow) {
        Cursor cursor = new Cursor(actionId, attempt, follow);
        return Multi.createBy()
                .repeating()
                .uni(cursor::next)
                .until(page -> page == Page.END)
                .onItem()
                .transformToIterable(Page::chunks);
    }

    /** One read of the store; {@link #END} once the last page was read. */
    record Page(List<LogChunk> chunks) {
        static final Page END = new Page(List.of());
    }

    /** Where a reader is in one attempt's log. */
    private final class Cursor {
        private final String actionId;
        private final int attempt;
        private final boolean follow;
        private long afterSeq;
        private boolean finished;

        Cursor(String actionId, int attempt, boolean follow) {
            this.actionId = actionId;
            this.attempt = attempt;
            this.follow = follow;
        }

        /** The next page; a follower waits for more while the attempt runs. */
        Uni<Page> next() {
            if (finished) {
                return Uni.createFrom().item(Page.END);
            }
            if (follow && drain.handedOver()) {
                return Uni.createFrom().failure(drain.refusal());
            }
            Uni<Boolean> attemptOver = follow
                    ? lookup.get(actionId).map(this::over)
                    : Uni.createFrom().item(true);
            return attemptOver.chain(over -> store.after(actionId, attempt, afterSeq)
                    .chain(chunks -> {
                        if (!chunks.isEmpty()) {
                            afterSeq = chunks.get(chunks.size() - 1).seq();
                        }
                        boolean more = chunks.size() == LogStore.PAGE;
                        finished = over && !more;
                        Page page = new Page(
                                chunks.stream().map(LogStore.StoredChunk::chunk).toList());
                        return more || !chunks.isEmpty() || over
                                ? Uni.createFrom().item(page)
                                : Uni.createFrom().item(page).onItem().delayIt().by(FOLLOW_INTERVAL);
                    }));
        }

        private boolean over(Action action) {
            return action.getAttempt() != attempt || ActionStateMachine.isTerminal(action.getStatus());
        }
    }
}
