package dev.workcell.controlplane.web;

import dev.workcell.controlplane.action.LedgerQueries;
import dev.workcell.controlplane.worker.Fleet;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the layout's {@link Frame} for a signed-in person: two small counting queries, none that reads everything. */
@ApplicationScoped
public class Frames {

    private final Fleet fleet;
    private final LedgerQueries ledger;

    public Frames(Fleet fleet, LedgerQueries ledger) {
        this.fleet = fleet;
        this.ledger = ledger;
    }

    public Uni<Frame> of(Viewer viewer, String view) {
        return Uni.combine()
                .all()
                .unis(fleet.counts(), ledger.activeCounts())
                .asTuple()
                .map(counts -> {
                    Map<String, Long> actions = new LinkedHashMap<>();
                    counts.getItem2()
                            .forEach((status, n) -> actions.put(status.name().toLowerCase(), n));
                    return new Frame(viewer, view, counts.getItem1(), actions);
                });
    }
}
