package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.action.ActionChanges;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Operation;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates a campaign trace's replays and report as soon as the trace succeeds: it follows the
 * changes this replica commits (so one replica acts on each), and at start-up catches up with every
 * campaign's succeeded traces, so that a replica that crashed between a trace's success and its
 * follow-ups loses none. Creation is idempotent (see {@link Slot}), so acting twice is harmless.
 */
@ApplicationScoped
public class CampaignFollowUps {

    static final int BUFFER = 4096;

    private final ActionChanges changes;
    private final CampaignLinks links;
    private final CampaignRuns runs;
    private final Pool pool;

    public CampaignFollowUps(ActionChanges changes, CampaignLinks links, CampaignRuns runs, Pool pool) {
        this.changes = changes;
        this.links = links;
        this.runs = runs;
        this.pool = pool;
    }

    void start(@Observes StartupEvent event) {
        follow();
        catchUp();
    }

    private void follow() {
        changes.committedHere()
                .select()
                .where(CampaignFollowUps::isSucceededTrace)
                .onOverflow()
                .buffer(BUFFER)
                .onItem()
                .transformToUniAndConcatenate(this::followUpsOf)
                .subscribe()
                .with(ignored -> {}, this::fellBehind);
    }

    /** Buffer overflow: follow again, and catch up with what was dropped. */
    private void fellBehind(Throwable failure) {
        if (failure instanceof BackPressureFailure) {
            Log.warn("campaign follow-ups fell behind the action changes: catching up");
            follow();
            catchUp();
        } else {
            Log.errorf(failure, "campaign follow-ups stopped");
        }
    }

    private static boolean isSucceededTrace(Action action) {
        return action.getOperation() == Operation.TRACE && action.getStatus() == ActionStatus.SUCCEEDED;
    }

    private Uni<Void> followUpsOf(Action trace) {
        return links.tracesFilledBy(trace.getId())
                .onItem()
                .transformToMulti(filled -> Multi.createFrom().iterable(filled))
                .onItem()
                .transformToUniAndConcatenate(slot -> runs.followUpsOf(slot.getKey(), slot.getValue())
                        .invoke(outcome -> Log.debugf(
                                "campaign %s: trace %s succeeded, %d follow-ups created",
                                slot.getKey(), trace.getId(), outcome.created())))
                .collect()
                .last()
                .onFailure()
                .recoverWithItem(failure -> {
                    Log.warnf(
                            "campaign follow-ups of trace %s not created now (the next run or start-up creates them): %s",
                            trace.getId(), failure.getMessage());
                    return null;
                })
                .replaceWithVoid();
    }

    /** The missing follow-ups of every campaign that ran. */
    private void catchUp() {
        pool.query("SELECT id FROM campaigns WHERE runs > 0 ORDER BY created_at")
                .execute()
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("id")));
                    return ids;
                })
                .onItem()
                .transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem()
                .transformToUniAndConcatenate(runs::catchUp)
                .collect()
                .asList()
                .subscribe()
                .with(
                        outcomes -> Log.debugf(
                                "campaign catch-up: %d campaigns, %d follow-ups created",
                                outcomes.size(),
                                outcomes.stream()
                                        .mapToInt(CampaignRuns.Outcome::created)
                                        .sum()),
                        failure -> Log.warnf(
                                "campaign catch-up failed (the next run creates what is missing): %s",
                                failure.getMessage()));
    }
}
