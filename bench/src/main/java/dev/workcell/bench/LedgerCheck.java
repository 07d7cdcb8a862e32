package dev.workcell.bench;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** What the ledger says about the actions of one run: those whose idempotency key starts with the run's prefix. */
final class LedgerCheck {

    /** An action as recorded: its status, its attempt, and how many events it has in all and to SUCCEEDED. */
    record Recorded(String status, int attempt, int events, int succeededEvents) {}

    private static final String OF_RUN = "FROM actions a WHERE a.idempotency_key LIKE '%s%%'";

    private final Postgres postgres;
    private final String prefix;

    LedgerCheck(Postgres postgres, String prefix) {
        this.postgres = postgres;
        this.prefix = prefix;
    }

    /** How many actions of the run are in each status. */
    Map<String, Integer> statuses() throws IOException, InterruptedException {
        Map<String, Integer> counts = new TreeMap<>();
        for (String[] row : rows("SELECT a.status, count(*) " + OF_RUN.formatted(prefix) + " GROUP BY a.status")) {
            counts.put(row[0], Integer.parseInt(row[1]));
        }
        return counts;
    }

    /** Every action of the run, by id. */
    Map<String, Recorded> actions() throws IOException, InterruptedException {
        Map<String, Recorded> actions = new HashMap<>();
        for (String[] row : rows("""
                SELECT a.id, a.status, a.attempt,
                       (SELECT count(*) FROM action_events e WHERE e.action_id = a.id),
                       (SELECT count(*) FROM action_events e WHERE e.action_id = a.id AND e.to_status = 'SUCCEEDED')
                """ + OF_RUN.formatted(prefix))) {
            actions.put(
                    row[0],
                    new Recorded(row[1], Integer.parseInt(row[2]), Integer.parseInt(row[3]), Integer.parseInt(row[4])));
        }
        return actions;
    }

    /** The events of one action, one line each: attempt, from, to, reason, when. */
    String events(String actionId) throws IOException, InterruptedException {
        return postgres.psql("SELECT attempt, from_status, to_status, reason, at FROM action_events WHERE action_id = '"
                + actionId.replaceAll("[^0-9a-f]", "") + "' ORDER BY seq");
    }

    private String[][] rows(String sql) throws IOException, InterruptedException {
        String out = postgres.psql(sql).strip();
        return out.isEmpty()
                ? new String[0][]
                : out.lines().map(line -> line.split(" ")).toArray(String[][]::new);
    }
}
