package dev.workcell.controlplane.pool;

import dev.workcell.controlplane.action.AfterCommit;
import dev.workcell.controlplane.device.AvailabilityChanges;
import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.Audit;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.security.EnrolledAgents.Agent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;

/**
 * Draining an agent before it goes away: its workers get no new task while the tasks they run
 * finish. The flag is a column of the agent's row, which every claim of a task share-locks and
 * reads (see Ledger.claimNext): so it holds on every replica and across restarts, and once a
 * drain has returned, no claim in flight can still give the agent a task. Undraining lets the
 * agent's devices take their queued actions at once.
 */
@ApplicationScoped
public class AgentDrains {

    /** $1 agent id, $2 draining or not. Also answers whether the state changed and the agent's target devices. */
    private static final String SET_DRAINING = """
            WITH before AS (SELECT id, draining_since FROM agents WHERE id = $1 AND revoked_at IS NULL FOR UPDATE)
            UPDATE agents a SET draining_since = CASE WHEN $2::boolean THEN COALESCE(before.draining_since, now()) END
            FROM before WHERE a.id = before.id
            RETURNING a.*, (before.draining_since IS NOT NULL) <> $2 AS changed,
                      ARRAY(SELECT target_id FROM workers WHERE host_id = a.host_id) AS targets""";

    private final Pool pool;
    private final Audit audit;
    private final AfterCommit afterCommit;
    private final AvailabilityChanges availability;

    public AgentDrains(Pool pool, Audit audit, AfterCommit afterCommit, AvailabilityChanges availability) {
        this.pool = pool;
        this.audit = audit;
        this.afterCommit = afterCommit;
        this.availability = availability;
    }

    /** Drains an agent; draining one that already drains changes nothing (it keeps its drainingSince). */
    public Uni<Agent> drain(String agentId, Caller by) {
        return setDraining(agentId, true, by).map(Agent::of);
    }

    /** Ends an agent's drain; its devices' queued actions are dispatched now. */
    public Uni<Agent> undrain(String agentId, Caller by) {
        return setDraining(agentId, false, by)
                .invoke(row -> afterCommit.devicesMayBeFree(Arrays.asList(row.getArrayOfStrings("targets"))))
                .map(Agent::of);
    }

    private Uni<Row> setDraining(String agentId, boolean draining, Caller by) {
        return pool.preparedQuery(SET_DRAINING)
                .execute(Tuple.of(agentId, draining))
                .chain(rows -> rows.iterator().hasNext()
                        ? Uni.createFrom().item(rows.iterator().next())
                        : refusal(agentId))
                .call(row -> row.getBoolean("changed")
                        ? audit.record(
                                by.describe(),
                                draining ? "agent.drained" : "agent.undrained",
                                agentId,
                                "host " + row.getString("host_name") + ", pool " + row.getString("pool"))
                        : Uni.createFrom().voidItem())
                .invoke(row -> {
                    if (row.getBoolean("changed")) {
                        availability.publish(Arrays.asList(row.getArrayOfStrings("targets")));
                    }
                });
    }

    /** Why an agent could not be drained or undrained: it does not exist, or it was revoked. */
    private Uni<Row> refusal(String agentId) {
        return pool.preparedQuery("SELECT revoked_at FROM agents WHERE id = $1")
                .execute(Tuple.of(agentId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new NotFoundException("no agent " + agentId);
                    }
                    throw new ConflictException("agent " + agentId + " was revoked at "
                            + rows.iterator().next().getOffsetDateTime("revoked_at")
                            + ": it gets no work, drained or not");
                });
    }
}
