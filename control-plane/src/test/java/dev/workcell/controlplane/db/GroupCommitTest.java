package dev.workcell.controlplane.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.pgclient.PgException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    /** A fake statement whose batches complete when the test says so. */
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();

    private final List<UniEmitter<? super List<String>>> open = new CopyOnWriteArrayList<>();
    private final Function<List<String>, Uni<List<String>>> heldWrite =
            items -> Uni.createFrom().emitter(emitter -> {
                batches.add(items);
                open.add(emitter);
            });

    @Test
    void aLoneItemIsWrittenAtOnceAndLaterOnesWaitForTheNextBatch() {
        GroupCommit<String, String> commit = new GroupCommit<>(heldWrite, item -> item, 100, 1);
        AtomicReference<String> first = new AtomicReference<>();
        commit.submit("a").subscribe().with(first::set);
        List<String> later = new CopyOnWriteArrayList<>();
        for (String item : List.of("b", "c", "d")) {
            commit.submit(item).subscribe().with(later::add);
        }

        assertThat(batches).containsExactly(List.of("a"));
        complete(0);
        assertThat(first.get()).isEqualTo("a written");
        assertThat(batches).containsExactly(List.of("a"), List.of("b", "c", "d"));
        assertThat(later).isEmpty();
        complete(1);
        assertThat(later).containsExactly("b written", "c written", "d written");
    }

    @Test
    void itemsWithTheSameKeyNeverShareABatch() {
        GroupCommit<String, String> commit = new GroupCommit<>(heldWrite, item -> item.charAt(0), 100, 1);
        for (String item : List.of("x0", "a1", "a2", "b1", "a3")) {
            commit.submit(item).subscribe().with(ignored -> {});
        }
        complete(0);
        complete(1);
        complete(2);
        assertThat(batches).containsExactly(List.of("x0"), List.of("a1", "b1"), List.of("a2"), List.of("a3"));
    }

    @Test
    void batchesAreCappedAndSeveralMayBeInFlight() {
        GroupCommit<String, String> commit = new GroupCommit<>(heldWrite, item -> item, 2, 2);
        for (String item : List.of("a", "b", "c", "d", "e", "f")) {
            commit.submit(item).subscribe().with(ignored -> {});
        }
        assertThat(batches).containsExactly(List.of("a"), List.of("b"));
        complete(0);
        assertThat(batches).containsExactly(List.of("a"), List.of("b"), List.of("c", "d"));
    }

    @Test
    void aBatchTheDatabaseRefusesIsRetriedItemByItemSoOnlyTheBadItemFails() {
        List<List<String>> written = new CopyOnWriteArrayList<>();
        AtomicReference<UniEmitter<? super List<String>>> gate = new AtomicReference<>();
        GroupCommit<String, String> commit = new GroupCommit<>(
                items -> {
                    written.add(items);
                    if (items.equals(List.of("gate"))) {
                        return Uni.createFrom().<List<String>>emitter(gate::set);
                    }
                    return items.contains("bad")
                            ? Uni.createFrom()
                                    .failure(new PgException("violates a constraint", "ERROR", "23505", "detail"))
                            : Uni.createFrom()
                                    .item(items.stream()
                                            .map(item -> item + " written")
                                            .toList());
                },
                item -> item,
                100,
                1);
        commit.submit("gate").subscribe().with(ignored -> {});
        List<String> results = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (String item : List.of("good1", "bad", "good2")) {
            commit.submit(item).subscribe().with(results::add, failures::add);
        }

        gate.get().complete(List.of("gate written"));

        assertThat(written)
                .containsExactly(
                        List.of("gate"),
                        List.of("good1", "bad", "good2"),
                        List.of("good1"),
                        List.of("bad"),
                        List.of("good2"));
        assertThat(results).containsExactly("good1 written", "good2 written");
        assertThat(failures).singleElement().isInstanceOf(PgException.class);
    }

    private void complete(int batch) {
        open.get(batch)
                .complete(batches.get(batch).stream()
                        .map(item -> item + " written")
                        .toList());
    }
}
