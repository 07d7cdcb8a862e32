package dev.workcell.controlplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The check that ends every fault-injection test, read straight from PostgreSQL: every
 * acknowledged action is in the ledger, terminal or still queued; no attempt was dispatched,
 * started or finished twice; and every transition has its event (the events chain from
 * NULL -> QUEUED to the action's current status); live_actions agrees, and holds a gang's companions
 * exactly while its attempt does.
 */
public final class LedgerAudit {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED");

    private final String url;
    private final Properties credentials = new Properties();

    private LedgerAudit(String database, String user, String password) {
        this.url = "jdbc:postgresql://" + database;
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
    }

    /** The database a control-plane process was given (WORKCELL_DB, WORKCELL_DB_USER, WORKCELL_DB_PASSWORD). */
    public static LedgerAudit of(Map<String, String> database) {
        return new LedgerAudit(
                database.get("WORKCELL_DB"),
                database.getOrDefault("WORKCELL_DB_USER", "workcell"),
                database.getOrDefault("WORKCELL_DB_PASSWORD", "workcell"));
    }

    /** The database of the application under a @QuarkusTest. */
    public static LedgerAudit ofRunningApp() {
        Config config = ConfigProvider.getConfig();
        String jdbc = config.getValue("quarkus.datasource.jdbc.url", String.class);
        return new LedgerAudit(
                jdbc.substring("jdbc:postgresql://".length()),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    private record Row(String status, int attempt) {

        @Override
        public String toString() {
            return status + " at attempt " + attempt;
        }
    }

    private record Event(int attempt, String from, String to) {

        boolean changes() {
            return !Objects.equals(from, to);
        }

        @Override
        public String toString() {
            return from + " -> " + to + " at attempt " + attempt;
        }
    }

    /** Fails listing every offending action with what is wrong with it. */
    public void assertConsistent(Collection<String> acknowledged) {
        Map<String, Row> actions = new HashMap<>();
        Map<String, List<Event>> events = new HashMap<>();
        Map<String, String> liveCopies = new HashMap<>();
        read(acknowledged, actions, events, liveCopies);
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (String id : acknowledged) {
            List<String> found = new ArrayList<>(problemsOf(actions.get(id), events.getOrDefault(id, List.of())));
            if (liveCopies.containsKey(id)) {
                found.add(liveCopies.get(id));
            }
            if (!found.isEmpty()) {
                problems.put(id, found);
            }
        }
        assertThat(problems)
                .withFailMessage(() -> problems.size() + " of " + acknowledged.size()
                        + " acknowledged actions break the ledger's rules:\n"
                        + String.join(
                                "\n",
                                problems.entrySet().stream()
                                        .map(entry ->
                                                "  " + entry.getKey() + ": " + String.join("; ", entry.getValue()))
                                        .toList()))
                .isEmpty();
    }

    private static List<String> problemsOf(Row action, List<Event> events) {
        List<String> problems = new ArrayList<>();
        if (action == null) {
            return List.of("not in the ledger: an acknowledged action was lost");
        }
        if (!TERMINAL.contains(action.status()) && !action.status().equals("QUEUED")) {
            problems.add("left " + action.status() + ", neither terminal nor queued");
        }
        if (events.isEmpty()) {
            return List.of("no events at all");
        }
        Event first = events.get(0);
        if (first.from() != null || !first.to().equals("QUEUED") || first.attempt() != 1) {
            problems.add("first event is " + first + ", not NULL -> QUEUED at attempt 1");
        }
        for (int i = 1; i < events.size(); i++) {
            if (!Objects.equals(events.get(i).from(), events.get(i - 1).to())) {
                problems.add("event " + i + " " + events.get(i) + " does not start where event " + (i - 1) + " "
                        + events.get(i - 1) + " ended: a transition without its event");
            }
        }
        Event last = events.get(events.size() - 1);
        if (!last.to().equals(action.status()) || last.attempt() != action.attempt()) {
            problems.add("last event " + last + " does not end at the action's current state, " + action);
        }
        for (String status : List.of("DISPATCHED", "RUNNING")) {
            perAttempt(events, event -> event.changes() && event.to().equals(status))
                    .forEach((attempt, count) -> {
                        if (count > 1) {
                            problems.add("attempt " + attempt + " " + status + " " + count + " times");
                        }
                    });
        }
        long finished = events.stream()
                .filter(event -> event.changes() && TERMINAL.contains(event.to()))
                .count();
        if (finished > 1) {
            problems.add(finished + " terminal events: finished more than once");
        }
        return problems;
    }

    private static Map<Integer, Integer> perAttempt(List<Event> events, Predicate<Event> which) {
        Map<Integer, Integer> counts = new HashMap<>();
        events.stream().filter(which).forEach(event -> counts.merge(event.attempt(), 1, Integer::sum));
        return counts;
    }

    /** Reads the actions, their events, and what is wrong with their copy in live_actions (the queue and guards' table). */
    private void read(
            Collection<String> ids,
            Map<String, Row> actions,
            Map<String, List<Event>> events,
            Map<String, String> liveCopies) {
        try (Connection connection = new org.postgresql.Driver().connect(url, credentials)) {
            var idArray = connection.createArrayOf("text", ids.toArray());
            try (PreparedStatement query =
                    connection.prepareStatement("SELECT id, status, attempt FROM actions WHERE id = ANY(?)")) {
                query.setArray(1, idArray);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        actions.put(rows.getString("id"), new Row(rows.getString("status"), rows.getInt("attempt")));
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT action_id, attempt, from_status, to_status FROM action_events
                    WHERE action_id = ANY(?) ORDER BY seq""")) {
                query.setArray(1, idArray);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        events.computeIfAbsent(rows.getString("action_id"), id -> new ArrayList<>())
                                .add(new Event(
                                        rows.getInt("attempt"),
                                        rows.getString("from_status"),
                                        rows.getString("to_status")));
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT a.id, a.status, l.status AS live_status FROM actions a LEFT JOIN live_actions l ON l.id = a.id
                    WHERE a.id = ANY(?)
                      AND ((a.status IN ('QUEUED', 'DISPATCHED', 'RUNNING')) <> (l.id IS NOT NULL)
                           OR (l.status, l.worker_id, l.target_id, l.host_id, l.not_before, l.dispatched_at IS NULL,
                               l.queued_at IS NOT NULL, l.lease_expires_at)
                              IS DISTINCT FROM (CASE a.status WHEN 'RUNNING' THEN 'DISPATCHED' ELSE a.status END, a.worker_id,
                                                a.target_id, a.host_id, a.not_before, a.status = 'QUEUED', a.status = 'QUEUED',
                                                a.lease_expires_at)
                              AND l.id IS NOT NULL)""")) {
                query.setArray(1, idArray);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        liveCopies.put(
                                rows.getString("id"),
                                rows.getString("live_status") == null
                                        ? rows.getString("status") + " but missing from live_actions"
                                        : "live_actions holds it as " + rows.getString("live_status")
                                                + " and out of step with it");
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT a.id, a.status, held.devices AS held, a.companions FROM actions a
                    CROSS JOIN LATERAL (SELECT array_agg(l.target_id ORDER BY l.target_id) AS devices FROM live_actions l
                                        WHERE l.status = 'HELD' AND l.id LIKE a.id || '@%') held
                    WHERE a.id = ANY(?)
                      AND held.devices IS DISTINCT FROM CASE WHEN a.status IN ('DISPATCHED', 'RUNNING') AND a.companions IS NOT NULL
                          THEN (SELECT array_agg(c ORDER BY c) FROM unnest(a.companions) AS c) END""")) {
                query.setArray(1, idArray);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        liveCopies.merge(
                                rows.getString("id"),
                                rows.getString("status") + " with companions "
                                        + rows.getString("companions") + " but live_actions holds "
                                        + rows.getString("held")
                                        + " for it: a gang's devices held without its attempt, or its attempt without them",
                                (a, b) -> a + "; " + b);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the ledger at " + url + ": " + e.getMessage(), e);
        }
    }
}
