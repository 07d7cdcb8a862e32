package dev.workcell.controlplane.dimension;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distinct dimension sets slices ask for, each stored once with an id, and known in memory by
 * every replica: a free device matches itself against them here, then looks for waiting actions
 * in the sets it matches only. Sets are never deleted; a replica loads those it has not seen yet
 * when an id it does not know comes up, and in the periodic sweep.
 */
@ApplicationScoped
public class DimensionSets {

    private final Pool pool;
    private final Map<Long, DimensionMatcher> byId = new ConcurrentHashMap<>();
    private final Map<Map<String, String>, Long> idBySpec = new ConcurrentHashMap<>();

    public DimensionSets(Pool pool) {
        this.pool = pool;
    }

    /** The id of each matcher's set (same order), creating the sets that do not exist yet. */
    public Uni<List<Long>> idsOf(List<DimensionMatcher> matchers) {
        if (matchers.stream().allMatch(matcher -> idBySpec.containsKey(matcher.spec()))) {
            return Uni.createFrom().item(ids(matchers));
        }
        String[] specs = matchers.stream().map(matcher -> new JsonObject(Map.copyOf(matcher.spec())).encode()).distinct()
                .toArray(String[]::new);
        return pool.preparedQuery("""
                        WITH created AS (
                            INSERT INTO dimension_sets (spec) SELECT unnest($1::text[]::jsonb[]) ON CONFLICT (spec) DO NOTHING
                            RETURNING id, spec)
                        SELECT id, spec::text FROM created
                        UNION ALL
                        SELECT id, spec::text FROM dimension_sets WHERE spec = ANY($1::text[]::jsonb[])""")
                .execute(Tuple.of(specs))
                .invoke(rows -> rows.forEach(this::learn))
                .chain(() -> matchers.stream().allMatch(matcher -> idBySpec.containsKey(matcher.spec()))
                        ? Uni.createFrom().item(ids(matchers))
                        // Another submit created one of them and committed after this statement began: read it now.
                        : pool.preparedQuery("SELECT id, spec::text FROM dimension_sets WHERE spec = ANY($1::text[]::jsonb[])")
                                .execute(Tuple.of(specs))
                                .invoke(rows -> rows.forEach(this::learn))
                                .map(rows -> ids(matchers)));
    }

    /** The set with this id, loading the sets this replica has not seen yet if needed. */
    public Uni<Optional<DimensionMatcher>> byId(long id) {
        DimensionMatcher known = byId.get(id);
        return known != null
                ? Uni.createFrom().item(Optional.of(known))
                : refresh().map(ignored -> Optional.ofNullable(byId.get(id)));
    }

    /** Loads the sets created since this replica last looked. */
    public Uni<Void> refresh() {
        long newest = byId.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        return pool.preparedQuery("SELECT id, spec::text FROM dimension_sets WHERE id > $1 ORDER BY id")
                .execute(Tuple.of(newest))
                .invoke(rows -> rows.forEach(this::learn))
                .replaceWithVoid();
    }

    /** The ids of the known sets a device with these dimensions matches. */
    public List<Long> matching(Map<String, ? extends Collection<String>> dimensions) {
        if (byId.isEmpty() || dimensions.isEmpty()) {
            return List.of();
        }
        return byId.entrySet().stream()
                .filter(entry -> entry.getValue().matches(dimensions))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    private List<Long> ids(List<DimensionMatcher> matchers) {
        return matchers.stream().map(matcher -> idBySpec.get(matcher.spec())).toList();
    }

    private void learn(Row row) {
        long id = row.getLong("id");
        Map<String, String> spec = new java.util.TreeMap<>();
        new JsonObject(row.getString("spec")).forEach(entry -> spec.put(entry.getKey(), String.valueOf(entry.getValue())));
        DimensionMatcher matcher = DimensionMatcher.ofSpec(spec);
        byId.put(id, matcher);
        idBySpec.put(matcher.spec(), id);
    }
}
