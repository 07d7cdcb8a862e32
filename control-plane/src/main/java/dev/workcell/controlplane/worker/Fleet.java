package dev.workcell.controlplane.worker;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Worker;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet as people look at it: each worker (a host and one of its devices) with the device's
 * description, the action it runs now and one shown state (online, busy, offline), read a page
 * at a time and counted by state.
 */
@ApplicationScoped
public class Fleet {

    /** The states the fleet shows: offline (not connected or not usable), busy (running something), online. */
    public static final List<String> STATES = List.of("online", "busy", "offline");

    private static final String ROWS = """
            WITH f AS (
                SELECT l.*, t.info AS target_info, t.approved, t.admin_labels::text AS target_admin_labels,
                       split_part(a.id, '@', 1) AS action_id, a.operation AS action_operation,
                       CASE WHEN NOT l.live_now OR l.state = 'OFFLINE' THEN 'offline'
                            WHEN l.state = 'BUSY' OR a.id IS NOT NULL THEN 'busy' ELSE 'online' END AS shown
                FROM (%s) l JOIN devices t ON t.id = l.target_id
                -- a gang's companion is busy too: its live row is '<action id>@<device id>', HELD
                LEFT JOIN live_actions a ON a.target_id = l.target_id AND a.status IN ('DISPATCHED', 'RUNNING', 'HELD'))
            """.formatted(WorkerStore.SELECT_LIVE_NOW);

    /** Filters of the fleet view; empty means any. {@code text} matches a device's name or serial in part. */
    public record Filter(String state, String host, String text) {}

    /** One device of the fleet: its worker, its description, and the action it runs now (empty ids when none). */
    public record Member(Worker worker, Device device, String shownState, String actionId, String actionOperation) {}

    /** One page of the fleet, in host then device name order. */
    public record Page(List<Member> members, boolean more) {}

    private final Pool pool;

    public Fleet(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page> page(Filter filter, int offset, int size) {
        Tuple args = Tuple.tuple();
        String where = where(filter, args);
        args.addInteger(size + 1).addInteger(offset);
        String sql = ROWS + "SELECT * FROM f" + where + " ORDER BY host_name, target_name, id LIMIT $"
                + (args.size() - 1) + " OFFSET $" + args.size();
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            List<Member> members = new ArrayList<>();
            rows.forEach(row -> members.add(member(row)));
            boolean more = members.size() > size;
            return new Page(more ? members.subList(0, size) : members, more);
        });
    }

    /** How many devices are in each shown state, every state present (0 when none). */
    public Uni<Map<String, Long>> counts() {
        return pool.query(ROWS + "SELECT shown, count(*) AS n FROM f GROUP BY shown")
                .execute()
                .map(rows -> {
                    Map<String, Long> counts = new TreeMap<>();
                    STATES.forEach(state -> counts.put(state, 0L));
                    rows.forEach(row -> counts.put(row.getString("shown"), row.getLong("n")));
                    return counts;
                });
    }

    private static String where(Filter filter, Tuple args) {
        List<String> where = new ArrayList<>();
        if (!filter.state().isEmpty()) {
            args.addString(filter.state());
            where.add("shown = $" + args.size());
        }
        if (!filter.host().isEmpty()) {
            args.addString(filter.host());
            where.add("$" + args.size() + " IN (host_id, host_name)");
        }
        if (!filter.text().isEmpty()) {
            args.addString("%"
                    + filter.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            where.add("(target_name ILIKE $" + args.size()
                    + " OR target_id IN (SELECT id FROM devices WHERE serial ILIKE $" + args.size() + "))");
        }
        return where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    }

    private static Member member(Row row) {
        Device device;
        try {
            Device.Builder described = Device.parseFrom(
                            row.getBuffer("target_info").getBytes())
                    .toBuilder()
                    .setId(row.getString("target_id"))
                    .setApproved(row.getBoolean("approved"));
            new JsonObject(row.getString("target_admin_labels"))
                    .forEach(label -> described.putAdminLabels(label.getKey(), String.valueOf(label.getValue())));
            device = described.build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(
                    "devices table holds an unreadable description for " + row.getString("target_id"), e);
        }
        String actionId = row.getString("action_id");
        return new Member(
                WorkerStore.worker(row),
                device,
                row.getString("shown"),
                actionId == null ? "" : actionId,
                actionId == null ? "" : row.getString("action_operation"));
    }
}
