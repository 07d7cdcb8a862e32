package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.db.DatabaseTime;
import dev.workcell.controlplane.db.PgErrors;
import dev.workcell.controlplane.dimension.DimensionMatcher;
import dev.workcell.controlplane.dimension.DimensionStore;
import dev.workcell.controlplane.errors.AlreadyExistsException;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.AuditEvent;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.proto.v1.Campaign;
import dev.workcell.proto.v1.CreateCampaignRequest;
import dev.workcell.proto.v1.DeviceKind;
import dev.workcell.proto.v1.ReplayTarget;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Creates, finds, lists, replaces and deletes campaigns (running them is {@link CampaignRuns}). A
 * campaign is checked whole before it is written: its subjects exist, its kinds' dimensions parse and
 * some registered device ever had them; each change commits with its audit row.
 */
@ApplicationScoped
public class Campaigns {

    static final int MAX_SUBJECTS = 100;
    static final int MAX_KINDS = 20;
    private static final Pattern KIND_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final DimensionStore dimensions;

    public Campaigns(DimensionStore dimensions) {
        this.dimensions = dimensions;
    }

    public Uni<Campaign> create(CreateCampaignRequest request, Caller by) {
        return Uni.createFrom()
                .item(() -> valid(request, by))
                .call(() -> requireKnownDimensions(request.getKindsList()))
                .chain(campaign -> Panache.withTransaction(() -> requireSubjects(request.getSubjectIdsList())
                        .chain(() -> requireNameFree(campaign.name, campaign.id))
                        .chain(() -> campaign.<CampaignEntity>persist())
                        .call(() -> AuditEvent.of(
                                        by.describe(),
                                        "campaign.created",
                                        campaign.id,
                                        campaign.name + ": " + request.getSubjectIdsCount() + " subjects × "
                                                + request.getKindsCount() + " kinds")
                                .persist())))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(ignored -> nameTaken(request.getName().strip(), "created meanwhile"))
                .map(Campaigns::proto);
    }

    /**
     * Replaces the campaign's name, subjects, kinds and replay targets, checked as at creation. The
     * actions it created stay linked (its grid keeps them); its next run creates what the new shape misses.
     */
    public Uni<Campaign> update(String id, CreateCampaignRequest request, Caller by) {
        return Uni.createFrom()
                .item(() -> {
                    CampaignIds.requireValid("id", id);
                    return valid(request, by);
                })
                .call(() -> requireKnownDimensions(request.getKindsList()))
                .chain(checked -> Panache.withTransaction(() -> stored(id)
                        .call(() -> requireSubjects(request.getSubjectIdsList()))
                        .call(campaign -> requireNameFree(checked.name, campaign.id))
                        .invoke(campaign -> {
                            campaign.name = checked.name;
                            campaign.subjectIds = checked.subjectIds;
                            campaign.kinds = checked.kinds;
                            campaign.replayOn = checked.replayOn;
                        })
                        .call(campaign -> AuditEvent.of(
                                        by.describe(),
                                        "campaign.updated",
                                        campaign.id,
                                        campaign.name + ": " + request.getSubjectIdsCount() + " subjects × "
                                                + request.getKindsCount() + " kinds")
                                .persist())))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(ignored -> nameTaken(request.getName().strip(), "renamed meanwhile"))
                .map(Campaigns::proto);
    }

    /** Deletes the campaign and its links to its actions, with its audit row; the actions stay in the ledger as history. */
    public Uni<Campaign> delete(String id, Caller by) {
        return Panache.withTransaction(() -> stored(id)
                        .call(campaign -> CampaignEntity.unlinkActions(campaign.id)
                                .chain(unlinked -> AuditEvent.of(
                                                by.describe(),
                                                "campaign.deleted",
                                                campaign.id,
                                                campaign.name + " (" + unlinked
                                                        + " actions unlinked, kept in the ledger)")
                                        .persist()))
                        .call(campaign -> campaign.delete()))
                .map(Campaigns::proto);
    }

    public Uni<Campaign> get(String id) {
        return find(id).map(Campaigns::proto);
    }

    /** The stored campaign, in a session of its own; 400 for a malformed id, 404 when there is none. */
    static Uni<CampaignEntity> find(String id) {
        return Panache.withSession(() -> stored(id));
    }

    /** The stored campaign, in the current session; 400 for a malformed id, 404 when there is none. */
    private static Uni<CampaignEntity> stored(String id) {
        return CampaignIds.found("campaign", id, valid -> CampaignEntity.<CampaignEntity>findById(valid));
    }

    public Uni<List<Campaign>> list() {
        return Panache.withSession(CampaignEntity::newestFirst)
                .map(all -> all.stream().map(Campaigns::proto).toList());
    }

    private static CampaignEntity valid(CreateCampaignRequest request, Caller by) {
        CampaignEntity campaign = new CampaignEntity();
        campaign.id = CampaignIds.next();
        campaign.name = CampaignNames.name("name", request.getName());
        if (request.getSubjectIdsCount() == 0 || request.getSubjectIdsCount() > MAX_SUBJECTS) {
            throw new InvalidRequestException(
                    "subject_ids", "1 to " + MAX_SUBJECTS + " subject ids, got " + request.getSubjectIdsCount());
        }
        Set<String> subjects = new HashSet<>();
        for (int i = 0; i < request.getSubjectIdsCount(); i++) {
            String id = CampaignIds.requireValid("subject_ids[" + i + "]", request.getSubjectIds(i));
            if (!subjects.add(id)) {
                throw new InvalidRequestException("subject_ids[" + i + "]", "subject " + id + " is listed twice");
            }
        }
        if (request.getKindsCount() == 0 || request.getKindsCount() > MAX_KINDS) {
            throw new InvalidRequestException(
                    "kinds", "1 to " + MAX_KINDS + " device kinds, got " + request.getKindsCount());
        }
        List<CampaignJson.Kind> kinds = new ArrayList<>();
        Set<String> kindNames = new HashSet<>();
        for (int i = 0; i < request.getKindsCount(); i++) {
            DeviceKind kind = request.getKinds(i);
            String field = "kinds[" + i + "]";
            if (!KIND_NAME.matcher(kind.getName()).matches()) {
                throw new InvalidRequestException(
                        field + ".name",
                        "1 to 64 of A-Z a-z 0-9 _ . - (starting with a letter or digit), got '" + kind.getName() + "'");
            }
            if (!kindNames.add(kind.getName())) {
                throw new InvalidRequestException(field + ".name", "kind '" + kind.getName() + "' is listed twice");
            }
            if (kind.getDimensionsCount() == 0) {
                throw new InvalidRequestException(
                        field + ".dimensions",
                        "required: what a device of this kind has, e.g. {\"model\": \"pixel 8\"}");
            }
            DimensionMatcher.parse(kind.getDimensionsMap(), field + ".dimensions");
            kinds.add(CampaignJson.Kind.of(kind));
        }
        for (int i = 0; i < request.getReplayOnCount(); i++) {
            if (request.getReplayOn(i) == ReplayTarget.REPLAY_TARGET_UNSPECIFIED
                    || request.getReplayOn(i) == ReplayTarget.UNRECOGNIZED) {
                throw new InvalidRequestException("replay_on[" + i + "]", "HOST or DEVICE");
            }
        }
        if (new HashSet<>(request.getReplayOnList()).size() < request.getReplayOnCount()) {
            throw new InvalidRequestException("replay_on", "each of HOST, DEVICE at most once");
        }
        campaign.subjectIds = CampaignJson.write(request.getSubjectIdsList());
        campaign.kinds = CampaignJson.write(kinds);
        campaign.replayOn = CampaignJson.write(
                request.getReplayOnList().stream().map(ReplayTarget::name).toList());
        campaign.createdBy = by.id();
        campaign.createdAt = DatabaseTime.now();
        return campaign;
    }

    /** A kind whose dimensions no registered device ever had could never be traced: 404, as for a submit by dimensions. */
    private Uni<Void> requireKnownDimensions(List<DeviceKind> kinds) {
        List<String> keys = kinds.stream()
                .flatMap(kind -> kind.getDimensionsMap().keySet().stream())
                .distinct()
                .toList();
        List<DimensionMatcher> matchers = IntStream.range(0, kinds.size())
                .mapToObj(i -> DimensionMatcher.parse(kinds.get(i).getDimensionsMap(), "kinds[" + i + "].dimensions"))
                .toList();
        return dimensions
                .everSeen(
                        keys,
                        seen -> matchers.stream()
                                .allMatch(matcher -> matcher.unmetBy(seen).isEmpty()))
                .invoke(seen -> {
                    for (int i = 0; i < kinds.size(); i++) {
                        DimensionMatcher matcher = matchers.get(i);
                        int index = i;
                        matcher.unmetBy(seen).ifPresent(key -> {
                            throw new NotFoundException(
                                    "kinds[" + index + "].dimensions." + key,
                                    "no registered device ever had dimension " + key + " matching '"
                                            + matcher.spec().get(key) + "'");
                        });
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<Void> requireSubjects(List<String> ids) {
        return SubjectEntity.<SubjectEntity>list("id in ?1", ids)
                .invoke(found -> {
                    Set<String> known = new HashSet<>(
                            found.stream().map(subject -> subject.id).toList());
                    for (int i = 0; i < ids.size(); i++) {
                        if (!known.contains(ids.get(i))) {
                            throw new NotFoundException("subject_ids[" + i + "]", "no subject " + ids.get(i));
                        }
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<Void> requireNameFree(String name, String ownId) {
        return CampaignEntity.named(name)
                .invoke(taken -> {
                    if (taken != null && !taken.id.equals(ownId)) {
                        throw nameTaken(name, "id " + taken.id);
                    }
                })
                .replaceWithVoid();
    }

    private static AlreadyExistsException nameTaken(String name, String holder) {
        return new AlreadyExistsException("name", "a campaign named '" + name + "' already exists (" + holder + ")");
    }

    static Campaign proto(CampaignEntity campaign) {
        Campaign.Builder proto = Campaign.newBuilder()
                .setId(campaign.id)
                .setName(campaign.name)
                .addAllSubjectIds(CampaignJson.strings(campaign.subjectIds))
                .addAllKinds(CampaignJson.kinds(campaign.kinds).stream()
                        .map(CampaignJson.Kind::proto)
                        .toList())
                .addAllReplayOn(CampaignJson.replayTargets(campaign.replayOn))
                .setRuns(campaign.runs)
                .setCreatedBy(campaign.createdBy)
                .setCreatedAt(DatabaseTime.toProto(campaign.createdAt));
        if (campaign.lastRunAt != null) {
            proto.setLastRunAt(DatabaseTime.toProto(campaign.lastRunAt));
        }
        return proto.build();
    }
}
