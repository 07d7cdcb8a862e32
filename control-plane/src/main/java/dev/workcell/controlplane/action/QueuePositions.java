package dev.workcell.controlplane.action;

import dev.workcell.proto.v1.Operation;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where a waiting action stands among the waiting actions that compete for the same devices, in
 * the ledger's one order of who goes first ({@link Ledger#FIRST_WAITING}).
 */
@ApplicationScoped
public class QueuePositions {

    /** Waiting actions ahead that a position lists by operation (enough for a rough start time). */
    static final int MAX_LISTED_AHEAD = 1000;

    private final Pool pool;

    public QueuePositions(Pool pool) {
        this.pool = pool;
    }

    /**
     * An action's position (1 = nothing goes first) and the operations of the actions ahead of it,
     * in order (at most {@link #MAX_LISTED_AHEAD}); 0 when the action does not wait.
     */
    public record Position(int position, List<Operation> ahead) {}

    /**
     * The position of a waiting action among those waiting for one of these devices by target, or
     * in one of these dimension sets (those the devices match).
     */
    public Uni<Position> of(String actionId, Collection<String> deviceIds, Collection<Long> setIds) {
        return pool.preparedQuery("""
                        WITH competing AS (
                            SELECT id, operation, row_number() OVER (ORDER BY %1$s) AS position
                            FROM live_actions
                            WHERE status = 'QUEUED'
                              AND (id = $1 OR (dimension_set_id IS NULL AND target_id = ANY($2)) OR dimension_set_id = ANY($3))),
                        mine AS (SELECT position FROM competing WHERE id = $1)
                        SELECT competing.operation, competing.position, mine.position AS mine
                        FROM mine LEFT JOIN competing ON competing.position < mine.position AND competing.position <= %2$d
                        ORDER BY competing.position""".formatted(Ledger.FIRST_WAITING, MAX_LISTED_AHEAD))
                .execute(Tuple.of(actionId, deviceIds.toArray(String[]::new), setIds.toArray(Long[]::new)))
                .map(rows -> {
                    int position = 0;
                    List<Operation> ahead = new ArrayList<>();
                    for (var row : rows) {
                        position = row.getLong("mine").intValue();
                        if (row.getString("operation") != null) {
                            ahead.add(Operation.valueOf(row.getString("operation")));
                        }
                    }
                    return new Position(position, ahead);
                });
    }
}
