package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.action.EquivalentAction;
import dev.workcell.controlplane.action.Manager;
import dev.workcell.controlplane.artifact.ArtifactRefs;
import dev.workcell.controlplane.campaign.CampaignLinks.Link;
import dev.workcell.controlplane.campaign.CampaignPlan.PlannedSubject;
import dev.workcell.controlplane.db.DatabaseTime;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.AuditEvent;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.ReplayInput;
import dev.workcell.proto.v1.ReplayTarget;
import dev.workcell.proto.v1.ReportInput;
import dev.workcell.proto.v1.RunCampaignResponse;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.TraceInput;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The original's scheduler, for one campaign: a TRACE per (subject, kind), submitted by the kind's
 * dimensions; from each trace that SUCCEEDED a REPLAY on each replay target and a REPORT, submitted
 * for the device the pairing rule names, with the trace's artifact as input. A slot whose action is
 * in flight or succeeded is kept (EquivalentAction's reuse rule); a missing or failed one gets a new
 * generation. Each generation's idempotency key makes creating it again (a re-run, another replica,
 * a catch-up) return the same action.
 */
@ApplicationScoped
public class CampaignRuns {

    /** What creating a campaign's work did. */
    record Outcome(int created, int kept, List<String> refused) {}

    private final Manager manager;
    private final CampaignLinks links;
    private final DeviceStore devices;
    private final Pool pool;

    public CampaignRuns(Manager manager, CampaignLinks links, DeviceStore devices, Pool pool) {
        this.manager = manager;
        this.links = links;
        this.devices = devices;
        this.pool = pool;
    }

    /** Runs the campaign (again): records the run with its audit row, then creates what is missing or failed. */
    public Uni<RunCampaignResponse> run(String id, Caller by) {
        return Campaigns.find(id)
                .chain(found -> Panache.withTransaction(() -> CampaignEntity.<CampaignEntity>findById(found.id)
                        .invoke(campaign -> {
                            campaign.runs++;
                            campaign.runBy = by.id();
                            campaign.lastRunAt = DatabaseTime.now();
                        })
                        .call(campaign -> AuditEvent.of(
                                        by.describe(),
                                        "campaign.run",
                                        campaign.id,
                                        campaign.name + ": run " + campaign.runs)
                                .persist())))
                .chain(campaign -> CampaignPlan.load(pool, campaign.id)
                        .chain(plan -> create(plan, true))
                        .map(outcome -> RunCampaignResponse.newBuilder()
                                .setCampaign(Campaigns.proto(campaign))
                                .setCreated(outcome.created())
                                .setKept(outcome.kept())
                                .addAllRefused(outcome.refused())
                                .build()));
    }

    /** The follow-ups of every trace of the campaign that succeeded, those missing created (start-up catch-up). */
    Uni<Outcome> catchUp(String campaignId) {
        return CampaignPlan.load(pool, campaignId).chain(plan -> create(plan, false));
    }

    /** The follow-ups of one trace slot, if its latest action succeeded. */
    Uni<Outcome> followUpsOf(String campaignId, String traceSlot) {
        return CampaignPlan.load(pool, campaignId)
                .chain(plan -> links.latest(campaignId).chain(latest -> {
                    Link trace = latest.get(traceSlot);
                    if (trace == null || trace.action().getStatus() != ActionStatus.SUCCEEDED) {
                        return Uni.createFrom().item(new Outcome(0, 0, List.of()));
                    }
                    Slot slot = Slot.ofTraceKey(traceSlot);
                    return followUps(
                            plan,
                            plan.subjects().get(slot.subjectId()),
                            slot.kind(),
                            trace.action(),
                            latest,
                            new Tally());
                }));
    }

    private Uni<Outcome> create(CampaignPlan plan, boolean traces) {
        Tally tally = new Tally();
        return links.latest(plan.id())
                .chain(latest -> Multi.createFrom()
                        .iterable(plan.subjects().values())
                        .onItem()
                        .transformToUniAndConcatenate(subject -> Multi.createFrom()
                                .iterable(plan.kinds())
                                .onItem()
                                .transformToUniAndConcatenate(kind -> {
                                    Slot slot = Slot.trace(subject.id(), kind.name());
                                    Link trace = latest.get(slot.key());
                                    Uni<Void> traced = !traces
                                            ? Uni.createFrom().voidItem()
                                            : ensure(
                                                    plan,
                                                    slot,
                                                    trace,
                                                    null,
                                                    () -> Uni.createFrom().item(traceRequest(subject, kind)),
                                                    tally);
                                    return trace != null && trace.action().getStatus() == ActionStatus.SUCCEEDED
                                            ? traced.chain(() -> followUps(
                                                            plan, subject, kind.name(), trace.action(), latest, tally))
                                                    .replaceWithVoid()
                                            : traced;
                                })
                                .collect()
                                .last())
                        .collect()
                        .last()
                        .map(ignored -> tally.outcome()));
    }

    private Uni<Outcome> followUps(
            CampaignPlan plan,
            PlannedSubject subject,
            String kind,
            Action trace,
            Map<String, Link> latest,
            Tally tally) {
        Optional<String> traceRef =
                Optional.of(trace.getOutput().getTrace().getTrace()).filter(ref -> ref.startsWith(ArtifactRefs.PREFIX));
        if (traceRef.isEmpty()) {
            tally.refused("trace " + trace.getId() + " of " + subject.name() + " on " + kind
                    + " left no trace artifact to replay");
            return Uni.createFrom().item(tally.outcome());
        }
        List<ReplayTarget> targets = plan.replayTargets(subject);
        List<Slot> slots = new ArrayList<>();
        targets.forEach(on -> slots.add(Slot.replay(subject.id(), kind, on)));
        slots.add(Slot.report(subject.id(), kind, targets.get(0)));
        return Multi.createFrom()
                .iterable(slots)
                .onItem()
                .transformToUniAndConcatenate(slot -> ensure(
                        plan,
                        slot,
                        latest.get(slot.key()),
                        trace.getId(),
                        () -> followUpRequest(slot, subject, trace, traceRef.get()),
                        tally))
                .collect()
                .last()
                .map(ignored -> tally.outcome());
    }

    /** Keeps the slot's action when it is in flight or succeeded; else submits its next generation and links it. */
    private Uni<Void> ensure(
            CampaignPlan plan,
            Slot slot,
            Link latest,
            String traceId,
            Supplier<Uni<SubmitActionRequest.Builder>> request,
            Tally tally) {
        if (latest != null && EquivalentAction.reuses(latest.action(), false)) {
            tally.kept();
            return Uni.createFrom().voidItem();
        }
        int generation = latest == null ? 0 : latest.generation() + 1;
        Caller submitter = new Caller(plan.runBy(), "campaign " + plan.name(), Set.of(Roles.SUBMITTER), null);
        return request.get()
                .map(builder -> builder.setIdempotencyKey(slot.idempotencyKey(plan.id(), generation))
                        .build())
                .chain(submit -> manager.submit(submit, submitter))
                .call(response -> links.record(new CampaignLinks.NewLink(
                        plan.id(),
                        slot,
                        generation,
                        traceId,
                        response.getAction().getId())))
                .invoke(response -> tally.submitted(response.getCreated()))
                .onFailure(CampaignRuns::isRefusal)
                .recoverWithItem(failure -> {
                    Log.infof("campaign %s: %s not submitted: %s", plan.id(), slot.key(), failure.getMessage());
                    tally.refused(slot.key() + ": " + failure.getMessage());
                    return null;
                })
                .replaceWithVoid();
    }

    /** A submit the ledger refused for this slot (no device or worker for it, a bad input): the other slots go on. */
    private static boolean isRefusal(Throwable failure) {
        return failure instanceof NotFoundException
                || failure instanceof InvalidRequestException
                || failure instanceof ConflictException;
    }

    private static SubmitActionRequest.Builder traceRequest(PlannedSubject subject, CampaignJson.Kind kind) {
        return SubmitActionRequest.newBuilder()
                .setOperation(Operation.TRACE)
                .putAllDimensions(kind.dimensions())
                .setInput(ActionInput.newBuilder()
                        .setTrace(TraceInput.newBuilder()
                                .setSubject(ArtifactRefs.PREFIX + subject.artifact())
                                .setApi(subject.api())
                                .setDurationSeconds(subject.traceSeconds())));
    }

    /** A replay or report of the trace, for the device the pairing names: its host as target, or the traced device. */
    private Uni<SubmitActionRequest.Builder> followUpRequest(
            Slot slot, PlannedSubject subject, Action trace, String traceRef) {
        boolean onHost = slot.replayOn() == ReplayTarget.HOST;
        String target = onHost ? trace.getHost() : trace.getTarget();
        Uni<String> gapirDevice = onHost
                ? Uni.createFrom().item("host")
                : devices.resolve(target)
                        .map(device -> device.map(Device::getSerial).orElse(target));
        return gapirDevice.map(gapir -> {
            SubmitActionRequest.Builder request = SubmitActionRequest.newBuilder()
                    .setOperation(slot.operation())
                    .setTarget(target);
            if (slot.operation() == Operation.REPLAY) {
                request.setInput(ActionInput.newBuilder()
                        .setReplay(ReplayInput.newBuilder()
                                .setTrace(traceRef)
                                .setApi(subject.api())
                                .setGapirDevice(gapir)));
            } else {
                request.setInput(ActionInput.newBuilder()
                        .setReport(ReportInput.newBuilder()
                                .setTrace(traceRef)
                                .setApi(subject.api())
                                .setGapirDevice(gapir)));
            }
            return request;
        });
    }

    /** Counts of one creation pass. */
    private static final class Tally {
        private final AtomicInteger created = new AtomicInteger();
        private final AtomicInteger kept = new AtomicInteger();
        private final List<String> refused = Collections.synchronizedList(new ArrayList<>());

        void submitted(boolean isNew) {
            (isNew ? created : kept).incrementAndGet();
        }

        void kept() {
            kept.incrementAndGet();
        }

        void refused(String why) {
            refused.add(why);
        }

        Outcome outcome() {
            return new Outcome(created.get(), kept.get(), List.copyOf(refused));
        }
    }
}
