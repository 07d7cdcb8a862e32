package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.proto.v1.ReplayTarget;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a campaign asks for, as its run and its follow-ups read it: its subjects in order, its device
 * kinds, where traces are replayed, and whose token submits. Read with the SQL client, from the
 * stream of action changes too (where Hibernate Reactive has no safe context).
 */
record CampaignPlan(
        String id,
        String name,
        String runBy,
        Map<String, PlannedSubject> subjects,
        List<CampaignJson.Kind> kinds,
        List<ReplayTarget> replayOn) {

    /** A subject as a trace needs it. */
    record PlannedSubject(String id, String name, String artifact, String api, int traceSeconds) {}

    /**
     * Where a subject's successful traces are replayed: the campaign's choice, else the original's
     * pairing rule (canReplay): gles on the host as target, vulkan on the traced device.
     */
    List<ReplayTarget> replayTargets(PlannedSubject subject) {
        if (!replayOn.isEmpty()) {
            return replayOn;
        }
        return List.of("gles".equals(subject.api()) ? ReplayTarget.HOST : ReplayTarget.DEVICE);
    }

    static Uni<CampaignPlan> load(Pool pool, String campaignId) {
        return pool.preparedQuery("SELECT * FROM campaigns WHERE id = $1")
                .execute(Tuple.of(campaignId))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().failure(new NotFoundException("no campaign " + campaignId));
                    }
                    Row campaign = rows.iterator().next();
                    List<String> subjectIds = CampaignJson.strings(campaign.getString("subject_ids"));
                    return pool.preparedQuery("SELECT * FROM subjects WHERE id = ANY($1)")
                            .execute(Tuple.of(subjectIds.toArray(String[]::new)))
                            .map(subjectRows -> {
                                Map<String, PlannedSubject> byId = new LinkedHashMap<>();
                                subjectRows.forEach(row -> byId.put(
                                        row.getString("id"),
                                        new PlannedSubject(
                                                row.getString("id"),
                                                row.getString("name"),
                                                row.getString("artifact"),
                                                row.getString("api"),
                                                row.getInteger("trace_seconds"))));
                                Map<String, PlannedSubject> ordered = new LinkedHashMap<>();
                                subjectIds.forEach(id -> ordered.put(id, byId.get(id)));
                                return new CampaignPlan(
                                        campaignId,
                                        campaign.getString("name"),
                                        campaign.getString("run_by"),
                                        ordered,
                                        CampaignJson.kinds(campaign.getString("kinds")),
                                        CampaignJson.replayTargets(campaign.getString("replay_on")));
                            });
                });
    }
}
