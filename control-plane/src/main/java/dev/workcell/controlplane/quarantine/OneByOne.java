package dev.workcell.controlplane.quarantine;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.function.Function;

/** Runs a step for each item of a list, one after another (a Panache session serves one operation at a time). */
final class OneByOne {

    private OneByOne() {}

    static <T> Uni<Void> each(Uni<List<T>> items, Function<T, Uni<Void>> step) {
        return items.onItem()
                .transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem()
                .transformToUniAndConcatenate(item -> step.apply(item))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
