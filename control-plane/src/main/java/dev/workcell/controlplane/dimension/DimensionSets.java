package dev.workcell.controlplane.dimension;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The distinct dimension sets slices ask for, each stored once with an id, and known in memory by
 * every replica: a free device matches itself against them here, then looks for waiting actions
 * in the sets it matches only. Sets are never deleted; a replica loads those it has not seen yet
 * when an id it does not know comes up, and in the periodic sweep. A set with companions (a gang)
 * is a set of its own, which only a gang claim takes from.
 */
@ApplicationScoped
public class DimensionSets {

    private final Pool pool;
    private final Map<Long, DeviceSet> byId = new ConcurrentHashMap<>();
    private final Map<List<Map<String, String>>, Long> idBySpec = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, DeviceSet> gangs = new ConcurrentSkipListMap<>();
    /** Counts the sets learned: sets are never deleted, so what was matched against as many is still right. */
    private final AtomicLong learned = new AtomicLong();

    public DimensionSets(Pool pool) {
        this.pool = pool;
    }

    /** The id of each set (same order), creating the sets that do not exist yet. */
    public Uni<List<Long>> idsOf(List<DeviceSet> sets) {
        if (sets.stream().allMatch(set -> idBySpec.containsKey(set.key()))) {
            return Uni.createFrom().item(ids(sets));
        }
        Collection<DeviceSet> distinct = sets.stream()
                .collect(Collectors.toMap(DeviceSet::key, set -> set, (first, same) -> first, LinkedHashMap::new))
                .values();
        String[] specs = distinct.stream().map(set -> encode(set.device())).toArray(String[]::new);
        String[] companions = distinct.stream()
                .map(set -> new JsonArray(set.companions().stream()
                                .map(DimensionSets::encode)
                                .map(JsonObject::new)
                                .toList())
                        .encode())
                .toArray(String[]::new);
        return pool.preparedQuery("""
                        WITH asked AS (SELECT * FROM unnest($1::text[]::jsonb[], $2::text[]::jsonb[]) AS asked(spec, companions)),
                        created AS (
                            INSERT INTO dimension_sets (spec, companions) SELECT spec, companions FROM asked
                            ON CONFLICT (spec, companions) DO NOTHING
                            RETURNING id, spec, companions)
                        SELECT id, spec::text, companions::text FROM created
                        UNION ALL
                        SELECT id, spec::text, companions::text FROM dimension_sets JOIN asked USING (spec, companions)""")
                .execute(Tuple.of(specs, companions))
                .invoke(rows -> rows.forEach(this::learn))
                .chain(() -> sets.stream().allMatch(set -> idBySpec.containsKey(set.key()))
                        ? Uni.createFrom().item(ids(sets))
                        // Another submit created one of them and committed after this statement began: read it now.
                        : pool.preparedQuery("""
                                        SELECT id, spec::text, companions::text FROM dimension_sets
                                        JOIN unnest($1::text[]::jsonb[], $2::text[]::jsonb[]) AS asked(spec, companions) USING (spec, companions)""")
                                .execute(Tuple.of(specs, companions))
                                .invoke(rows -> rows.forEach(this::learn))
                                .map(rows -> ids(sets)));
    }

    /** The set with this id, loading the sets this replica has not seen yet if needed. */
    public Uni<Optional<DeviceSet>> byId(long id) {
        DeviceSet known = byId.get(id);
        return known != null
                ? Uni.createFrom().item(Optional.of(known))
                : refresh().map(ignored -> Optional.ofNullable(byId.get(id)));
    }

    /** Loads the sets created since this replica last looked. */
    public Uni<Void> refresh() {
        long newest = byId.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        return pool.preparedQuery(
                        "SELECT id, spec::text, companions::text FROM dimension_sets WHERE id > $1 ORDER BY id")
                .execute(Tuple.of(newest))
                .invoke(rows -> rows.forEach(this::learn))
                .replaceWithVoid();
    }

    /** The ids of the known single-device sets a device with these dimensions matches (gangs are claimed apart). */
    public List<Long> matching(Map<String, ? extends Collection<String>> dimensions) {
        if (byId.isEmpty() || dimensions.isEmpty()) {
            return List.of();
        }
        return byId.entrySet().stream()
                .filter(entry ->
                        !entry.getValue().isGang() && entry.getValue().device().matches(dimensions))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** How many sets this replica has learned so far; grows by one with each new set. */
    public long learned() {
        return learned.get();
    }

    /** The known gangs (sets with companions) by id, in id order. */
    public SortedMap<Long, DeviceSet> gangs() {
        return Collections.unmodifiableSortedMap(gangs);
    }

    private List<Long> ids(List<DeviceSet> sets) {
        return sets.stream().map(set -> idBySpec.get(set.key())).toList();
    }

    private static String encode(DimensionMatcher matcher) {
        return new JsonObject(Map.copyOf(matcher.spec())).encode();
    }

    private static DimensionMatcher decode(JsonObject stored) {
        Map<String, String> spec = new TreeMap<>();
        stored.forEach(entry -> spec.put(entry.getKey(), String.valueOf(entry.getValue())));
        return DimensionMatcher.ofSpec(spec);
    }

    private void learn(Row row) {
        long id = row.getLong("id");
        List<DimensionMatcher> companions = new JsonArray(row.getString("companions"))
                .stream().map(companion -> decode((JsonObject) companion)).toList();
        DeviceSet set = new DeviceSet(decode(new JsonObject(row.getString("spec"))), companions);
        if (byId.put(id, set) == null) {
            learned.incrementAndGet();
        }
        idBySpec.put(set.key(), id);
        if (set.isGang()) {
            gangs.put(id, set);
        }
    }
}
