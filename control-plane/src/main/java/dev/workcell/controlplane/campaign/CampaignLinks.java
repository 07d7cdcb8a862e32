package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.action.ActionRows;
import dev.workcell.proto.v1.Action;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign_actions table: which ledger action fills which slot of a campaign, generation by
 * generation. Written with the SQL client because follow-ups are linked from the stream of action
 * changes, where Hibernate Reactive has no safe context; a link is written after its action, and a
 * lost one is written again by the next run or catch-up (the action's idempotency key finds it).
 */
@ApplicationScoped
public class CampaignLinks {

    /** A slot's action of one generation. */
    public record Link(String slot, int generation, Action action) {}

    /** A slot's action to record. */
    record NewLink(String campaignId, Slot slot, int generation, String traceId, String actionId) {}

    private final Pool pool;
    private final BroadcastProcessor<String> linked = BroadcastProcessor.create();

    public CampaignLinks(Pool pool) {
        this.pool = pool;
    }

    /** The latest generation of each slot of the campaign, with its action as it is now. */
    public Uni<Map<String, Link>> latest(String campaignId) {
        return pool.preparedQuery("""
                        SELECT DISTINCT ON (l.slot) l.slot, l.generation, a.*
                        FROM campaign_actions l JOIN actions a ON a.id = l.action_id
                        WHERE l.campaign_id = $1 ORDER BY l.slot, l.generation DESC""").execute(Tuple.of(campaignId)).map(rows -> {
            Map<String, Link> links = new LinkedHashMap<>();
            for (Row row : rows) {
                links.put(
                        row.getString("slot"),
                        new Link(row.getString("slot"), row.getInteger("generation"), ActionRows.action(row)));
            }
            return links;
        });
    }

    /** The (campaign, trace slot) pairs an action fills as a trace. */
    public Uni<List<Map.Entry<String, String>>> tracesFilledBy(String actionId) {
        return pool.preparedQuery(
                        "SELECT campaign_id, slot FROM campaign_actions WHERE action_id = $1 AND operation = 'TRACE'")
                .execute(Tuple.of(actionId))
                .map(rows -> {
                    List<Map.Entry<String, String>> found = new ArrayList<>();
                    rows.forEach(row -> found.add(Map.entry(row.getString("campaign_id"), row.getString("slot"))));
                    return found;
                });
    }

    /** Records the link unless it is there already (another replica, an earlier try). */
    Uni<Void> record(NewLink link) {
        return pool.preparedQuery("""
                        INSERT INTO campaign_actions (campaign_id, slot, generation, operation, subject_id, kind, replay_on, trace_id, action_id)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING""")
                .execute(Tuple.tuple()
                        .addString(link.campaignId())
                        .addString(link.slot().key())
                        .addInteger(link.generation())
                        .addString(link.slot().operation().name())
                        .addString(link.slot().subjectId())
                        .addString(link.slot().kind())
                        .addString(
                                link.slot().replayOn() == null
                                        ? ""
                                        : link.slot().replayOn().name())
                        .addString(link.traceId())
                        .addString(link.actionId()))
                .invoke(() -> {
                    synchronized (linked) {
                        linked.onNext(link.campaignId());
                    }
                })
                .replaceWithVoid();
    }

    /** Campaign ids as actions are linked to them on this replica: a grid view counts again. */
    public Multi<String> linked() {
        return linked;
    }
}
