package dev.workcell.controlplane.dimension;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** Devices' dimensions in PostgreSQL: each device's current ones, and every value any device ever had. */
@ApplicationScoped
public class DimensionStore {

    private final Pool pool;
    /**
     * The values ever seen of each key, as this replica last read them. They only grow (on any replica),
     * so what they meet is met; what they do not meet is read again before it is refused.
     */
    private final Map<String, List<String>> seenSoFar = new ConcurrentHashMap<>();

    public DimensionStore(Pool pool) {
        this.pool = pool;
    }

    /** Stores a device's dimensions; when they changed, records their values among those ever seen. */
    public Uni<Void> record(String deviceId, Map<String, ? extends Collection<String>> dimensions) {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        dimensions.forEach((key, keyValues) -> keyValues.forEach(value -> {
            keys.add(key);
            values.add(value);
        }));
        return pool.preparedQuery("""
                        WITH changed AS (
                            UPDATE devices SET dimensions = $2::text::jsonb WHERE id = $1 AND dimensions IS DISTINCT FROM $2::text::jsonb RETURNING id)
                        INSERT INTO dimension_values (key, value)
                        SELECT * FROM unnest($3::text[], $4::text[]) WHERE EXISTS (SELECT 1 FROM changed)
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(
                        deviceId,
                        json(dimensions).encode(),
                        keys.toArray(String[]::new),
                        values.toArray(String[]::new)))
                .replaceWithVoid();
    }

    /**
     * Every value a device ever had for each of these keys (a key no device had is absent), as far as
     * {@code enough} needs: from memory when the values read before are enough for it (a submit by
     * dimensions asks for values most devices have), else from the database.
     */
    public Uni<Map<String, List<String>>> everSeen(
            Collection<String> keys, Predicate<Map<String, List<String>>> enough) {
        Map<String, List<String>> known = new TreeMap<>();
        for (String key : keys) {
            List<String> values = seenSoFar.get(key);
            if (values != null) {
                known.put(key, values);
            }
        }
        if (known.size() == keys.size() && enough.test(known)) {
            return Uni.createFrom().item(known);
        }
        return everSeen(keys).invoke(seen -> seenSoFar.putAll(seen));
    }

    private Uni<Map<String, List<String>>> everSeen(Collection<String> keys) {
        return pool.preparedQuery("SELECT key, value FROM dimension_values WHERE key = ANY($1)")
                .execute(Tuple.of(keys.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, List<String>> seen = new TreeMap<>();
                    rows.forEach(row -> seen.computeIfAbsent(row.getString("key"), ignored -> new ArrayList<>())
                            .add(row.getString("value")));
                    seen.replaceAll((key, values) -> List.copyOf(values));
                    return seen;
                });
    }

    /** Dimensions as stored: {"key": ["value", ...]}. */
    public static JsonObject json(Map<String, ? extends Collection<String>> dimensions) {
        JsonObject json = new JsonObject();
        dimensions.forEach((key, values) -> json.put(key, new JsonArray(List.copyOf(values))));
        return json;
    }

    /** Dimensions read back from their stored form. */
    public static SortedMap<String, SortedSet<String>> parse(JsonObject json) {
        SortedMap<String, SortedSet<String>> dimensions = new TreeMap<>();
        if (json != null) {
            json.forEach(entry -> {
                SortedSet<String> values = new TreeSet<>();
                ((JsonArray) entry.getValue()).forEach(value -> values.add(String.valueOf(value)));
                dimensions.put(entry.getKey(), values);
            });
        }
        return dimensions;
    }
}
