package dev.workcell.controlplane.db;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.pgclient.PgException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Writes many callers' rows with one statement and one commit. While {@code maxInFlight} batches
 * are being written, new items wait and go together in the next batch, so a lone item is written
 * at once and a busy ledger writes fewer, larger transactions. A caller's Uni completes only
 * after the batch holding its item committed. Items with the same key never share a batch, so
 * each statement sees at most one row per key. A batch the database refuses (a constraint, a
 * deadlock) is retried item by item, so that one item cannot fail the others.
 */
public final class GroupCommit<I, O> {

    private record Pending<I, O>(I item, UniEmitter<? super O> caller) {}

    private final Function<List<I>, Uni<List<O>>> write;
    private final Function<I, Object> key;
    private final int maxBatch;
    private final int maxInFlight;
    private final ArrayDeque<Pending<I, O>> waiting = new ArrayDeque<>();
    private int inFlight;

    /** @param write writes a batch and answers one result per item, in the items' order */
    public GroupCommit(Function<List<I>, Uni<List<O>>> write, Function<I, Object> key, int maxBatch, int maxInFlight) {
        this.write = write;
        this.key = key;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
    }

    public Uni<O> submit(I item) {
        return Uni.createFrom().emitter(caller -> {
            synchronized (this) {
                waiting.add(new Pending<>(item, caller));
            }
            drain();
        });
    }

    private void drain() {
        List<Pending<I, O>> batch = nextBatch();
        if (batch.isEmpty()) {
            return;
        }
        write.apply(batch.stream().map(Pending::item).toList())
                .subscribe()
                .with(
                        results -> {
                            for (int i = 0; i < batch.size(); i++) {
                                batch.get(i).caller().complete(results.get(i));
                            }
                            written();
                        },
                        failure -> {
                            if (batch.size() > 1 && failure instanceof PgException) {
                                oneByOne(batch);
                            } else {
                                batch.forEach(pending -> pending.caller().fail(failure));
                                written();
                            }
                        });
    }

    private void oneByOne(List<Pending<I, O>> batch) {
        AtomicInteger left = new AtomicInteger(batch.size());
        Runnable done = () -> {
            if (left.decrementAndGet() == 0) {
                written();
            }
        };
        batch.forEach(pending -> write.apply(List.of(pending.item()))
                .subscribe()
                .with(
                        result -> {
                            pending.caller().complete(result.get(0));
                            done.run();
                        },
                        failure -> {
                            pending.caller().fail(failure);
                            done.run();
                        }));
    }

    private synchronized List<Pending<I, O>> nextBatch() {
        if (inFlight >= maxInFlight || waiting.isEmpty()) {
            return List.of();
        }
        inFlight++;
        List<Pending<I, O>> batch = new ArrayList<>();
        Set<Object> keys = new HashSet<>();
        for (Iterator<Pending<I, O>> it = waiting.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
            Pending<I, O> pending = it.next();
            if (keys.add(key.apply(pending.item()))) {
                batch.add(pending);
                it.remove();
            }
        }
        return batch;
    }

    private void written() {
        synchronized (this) {
            inFlight--;
        }
        drain();
    }
}
