package dev.workcell.controlplane.action;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.dimension.DeviceSet;
import dev.workcell.controlplane.dimension.DimensionSets;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.Action;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Claims gangs, the actions whose slice asks for companion devices, on the hosts of this replica (all
 * of a host's devices are on its agent's replica): finds among a host's free devices one for each
 * place of a waiting gang's set, then claims the set's first waiting action with them in one
 * statement ({@link Ledger#claimGang}), which holds all of them or none. A gang that waited longer than
 * {@code workcell.scheduler.gang-reserve-after} keeps the devices that come free for it from
 * single-device work, until enough of them are free together.
 */
@ApplicationScoped
public class GangClaims {

    /** Claims in a row for one set on one host: each that succeeds may leave room for the next. */
    private static final int MAX_CLAIMS_PER_HOST = 16;

    private final DimensionSets dimensionSets;
    private final Workers workers;
    private final ClaimHints hints;
    private final Ledger ledger;
    private final LedgerQueries queries;
    private final TaskPushes pushes;

    private final Duration reserveAfter;

    public GangClaims(
            DimensionSets dimensionSets,
            Workers workers,
            ClaimHints hints,
            Ledger ledger,
            LedgerQueries queries,
            TaskPushes pushes,
            WorkcellConfig config) {
        this.reserveAfter = config.scheduler().gangReserveAfter();
        this.dimensionSets = dimensionSets;
        this.workers = workers;
        this.hints = hints;
        this.ledger = ledger;
        this.queries = queries;
        this.pushes = pushes;
    }

    /** Whether the device could take a place in a known gang. */
    boolean mayUse(LiveWorker worker) {
        return dimensionSets.gangs().values().stream().anyMatch(set -> fits(set, worker));
    }

    /** What a free device does once the gangs had their turn. */
    enum Turn {
        /** It took a place in a gang. */
        TAKEN,
        /** It stays free for a gang that waited long and that its host could field once enough of its devices are free. */
        RESERVED,
        /** It may take single-device work. */
        FREE
    }

    /** A device of this replica may be free: claims for the gangs it could take a place in, on its host. */
    Uni<Turn> claimAround(LiveWorker worker) {
        List<Map.Entry<Long, DeviceSet>> usable = dimensionSets.gangs().entrySet().stream()
                .filter(entry -> fits(entry.getValue(), worker))
                .toList();
        if (usable.isEmpty()) {
            return Uni.createFrom().item(Turn.FREE);
        }
        String host = worker.info().getHost();
        return Multi.createFrom()
                .iterable(usable)
                .onItem()
                .transformToUniAndConcatenate(entry -> claimOnHost(entry.getKey(), entry.getValue(), host, 0))
                .collect()
                .asList()
                .chain(ignored -> hints.holdsAttempt(worker.info().getTarget())
                        ? Uni.createFrom().item(Turn.TAKEN)
                        : reservedFor(usable, host).map(reserved -> reserved ? Turn.RESERVED : Turn.FREE));
    }

    /** Whether one of these gangs waited past the reserve delay and the host could field it with its devices as they are. */
    private Uni<Boolean> reservedFor(List<Map.Entry<Long, DeviceSet>> gangs, String host) {
        List<LiveWorker> ofHost = workers.all().stream()
                .filter(worker -> worker.info().getHost().equals(host) && workers.isAvailable(worker.id()))
                .toList();
        List<Long> fieldable = gangs.stream()
                .filter(entry ->
                        entry.getValue().assign(ofHost, LiveWorker::dimensions).isPresent())
                .map(Map.Entry::getKey)
                .toList();
        return Multi.createFrom()
                .iterable(fieldable)
                .onItem()
                .transformToUniAndConcatenate(setId -> queries.anyWaitingLongerThan(setId, reserveAfter))
                .collect()
                .asList()
                .map(waited -> waited.contains(true));
    }

    /** Actions of a gang's set wait: claims them on every host of this replica that can field the set; true when one was claimed. */
    Uni<Boolean> offer(long setId, DeviceSet set) {
        List<String> hosts = workers.all().stream()
                .map(worker -> worker.info().getHost())
                .distinct()
                .toList();
        return Multi.createFrom()
                .iterable(hosts)
                .onItem()
                .transformToUniAndConcatenate(host -> claimOnHost(setId, set, host, 0))
                .collect()
                .asList()
                .map(claimed -> claimed.stream().anyMatch(count -> count > 0));
    }

    /** Claims the set's waiting actions on a host while its free devices can field the set; how many it claimed. */
    private Uni<Integer> claimOnHost(long setId, DeviceSet set, String host, int claimed) {
        if (claimed >= MAX_CLAIMS_PER_HOST) {
            return Uni.createFrom().item(claimed);
        }
        List<LiveWorker> free = workers.all().stream()
                .filter(worker -> worker.info().getHost().equals(host))
                .filter(worker -> workers.isAvailable(worker.id())
                        && !hints.holdsAttempt(worker.info().getTarget()))
                .sorted(Comparator.comparing(LiveWorker::id))
                .toList();
        Optional<List<LiveWorker>> places = set.assign(free, LiveWorker::dimensions);
        if (places.isEmpty()) {
            return Uni.createFrom().item(claimed);
        }
        return queries.anyWaitingIn(setId)
                .chain(waiting -> !waiting
                        ? Uni.createFrom().item(claimed)
                        : claim(setId, places.get())
                                .chain(taken -> taken
                                        ? claimOnHost(setId, set, host, claimed + 1)
                                        : Uni.createFrom().item(claimed)));
    }

    private Uni<Boolean> claim(long setId, List<LiveWorker> places) {
        LiveWorker primary = places.get(0);
        List<LiveWorker> companions = places.subList(1, places.size());
        List<ClaimHints.Claim> claims = places.stream()
                .map(place -> hints.claiming(place.info().getTarget()))
                .toList();
        return ledger.claimGang(
                        setId,
                        primary.info(),
                        companions.stream().map(LiveWorker::info).toList())
                .chain(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(false);
                    }
                    Action action = claimed.get();
                    claims.forEach(claim -> hints.claimed(claim, action.getId(), true));
                    return pushes.push(primary, action, companions).replaceWith(true);
                });
    }

    private static boolean fits(DeviceSet set, LiveWorker worker) {
        return set.device().matches(worker.dimensions())
                || set.companions().stream().anyMatch(companion -> companion.matches(worker.dimensions()));
    }
}
