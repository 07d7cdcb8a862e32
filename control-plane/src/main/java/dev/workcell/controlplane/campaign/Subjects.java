package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.artifact.ArtifactRefs;
import dev.workcell.controlplane.artifact.ArtifactStore;
import dev.workcell.controlplane.db.DatabaseTime;
import dev.workcell.controlplane.db.PgErrors;
import dev.workcell.controlplane.errors.AlreadyExistsException;
import dev.workcell.controlplane.errors.InUseException;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.AuditEvent;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.proto.v1.CreateSubjectRequest;
import dev.workcell.proto.v1.Subject;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/** Creates, finds, lists, replaces and deletes subjects; each change commits with its audit row. */
@ApplicationScoped
public class Subjects {

    static final Set<String> APIS = Set.of("gles", "vulkan");
    static final int MAX_TRACE_SECONDS = 86_400;

    private final ArtifactStore artifacts;

    public Subjects(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    /** A new subject for an uploaded artifact; 404 when the artifact is not there, 409 when the name is taken. */
    public Uni<Subject> create(CreateSubjectRequest request, Caller by) {
        return Uni.createFrom()
                .item(() -> valid(request, by))
                .call(subject -> requireArtifact(subject.artifact))
                .chain(subject -> Panache.withTransaction(() -> requireNameFree(subject.name, subject.id)
                        .chain(() -> subject.<SubjectEntity>persist())
                        .call(() -> AuditEvent.of(
                                        by.describe(),
                                        "subject.created",
                                        subject.id,
                                        subject.name + " (artifact " + subject.artifact + ", " + subject.api + ")")
                                .persist())))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(ignored -> nameTaken(request.getName().strip(), "created meanwhile"))
                .map(Subjects::proto);
    }

    /** Replaces the subject's fields, checked as at creation; 404 when there is no such subject. */
    public Uni<Subject> update(String id, CreateSubjectRequest request, Caller by) {
        return Uni.createFrom()
                .item(() -> {
                    CampaignIds.requireValid("id", id);
                    return valid(request, by);
                })
                .call(checked -> requireArtifact(checked.artifact))
                .chain(checked -> Panache.withTransaction(() -> stored(id)
                        .call(subject -> requireNameFree(checked.name, subject.id))
                        .invoke(subject -> {
                            subject.name = checked.name;
                            subject.artifact = checked.artifact;
                            subject.api = checked.api;
                            subject.traceSeconds = checked.traceSeconds;
                            subject.labels = checked.labels;
                        })
                        .call(subject -> AuditEvent.of(
                                        by.describe(),
                                        "subject.updated",
                                        subject.id,
                                        subject.name + " (artifact " + subject.artifact + ", " + subject.api + ")")
                                .persist())))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(ignored -> nameTaken(request.getName().strip(), "renamed meanwhile"))
                .map(Subjects::proto);
    }

    /**
     * Deletes a subject no campaign names and no campaign's actions used (the grid shows them under its
     * name): 409 naming the campaign otherwise; the artifact stays.
     */
    public Uni<Subject> delete(String id, Caller by) {
        return Panache.withTransaction(() -> stored(id)
                        .call(subject -> requireUnused(subject))
                        .call(subject -> subject.delete())
                        .call(subject -> AuditEvent.of(by.describe(), "subject.deleted", subject.id, subject.name)
                                .persist()))
                .map(Subjects::proto);
    }

    public Uni<Subject> get(String id) {
        return Panache.withSession(() -> stored(id)).map(Subjects::proto);
    }

    public Uni<List<Subject>> list() {
        return Panache.withSession(SubjectEntity::byName)
                .map(all -> all.stream().map(Subjects::proto).toList());
    }

    /** The stored subject, in the current session; 400 for a malformed id, 404 when there is none. */
    private static Uni<SubjectEntity> stored(String id) {
        return CampaignIds.found("subject", id, valid -> SubjectEntity.<SubjectEntity>findById(valid));
    }

    private Uni<Void> requireArtifact(String sha256) {
        return artifacts
                .find(sha256)
                .invoke(found -> {
                    if (found.isEmpty()) {
                        throw new NotFoundException(
                                "artifact", "no complete artifact " + sha256 + ": upload the package first");
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<Void> requireNameFree(String name, String ownId) {
        return SubjectEntity.named(name)
                .invoke(taken -> {
                    if (taken != null && !taken.id.equals(ownId)) {
                        throw nameTaken(name, "id " + taken.id);
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<Void> requireUnused(SubjectEntity subject) {
        return CampaignEntity.naming(subject.id)
                .invoke(campaign -> {
                    if (campaign != null) {
                        throw new InUseException(
                                "id",
                                "subject " + subject.id + " is used by campaign " + campaign.id + " ('" + campaign.name
                                        + "'): take it out of that campaign or delete the campaign first");
                    }
                })
                .replaceWithVoid();
    }

    private static SubjectEntity valid(CreateSubjectRequest request, Caller by) {
        SubjectEntity subject = new SubjectEntity();
        subject.id = CampaignIds.next();
        subject.name = CampaignNames.name("name", request.getName());
        if (request.getArtifact().isEmpty()) {
            throw new InvalidRequestException("artifact", "required: the SHA-256 of the uploaded package");
        }
        subject.artifact = ArtifactRefs.requireSha256("artifact", request.getArtifact());
        if (!APIS.contains(request.getApi())) {
            throw new InvalidRequestException("api", "one of gles, vulkan; got '" + request.getApi() + "'");
        }
        subject.api = request.getApi();
        if (request.getTraceSeconds() < 0 || request.getTraceSeconds() > MAX_TRACE_SECONDS) {
            throw new InvalidRequestException(
                    "trace_seconds", "0 to " + MAX_TRACE_SECONDS + ", got " + request.getTraceSeconds());
        }
        subject.traceSeconds = request.getTraceSeconds();
        subject.labels =
                CampaignJson.write(new java.util.TreeMap<>(CampaignNames.labels("labels", request.getLabelsMap())));
        subject.createdBy = by.id();
        subject.createdAt = DatabaseTime.now();
        return subject;
    }

    private static AlreadyExistsException nameTaken(String name, String holder) {
        return new AlreadyExistsException("name", "a subject named '" + name + "' already exists (" + holder + ")");
    }

    static Subject proto(SubjectEntity subject) {
        return Subject.newBuilder()
                .setId(subject.id)
                .setName(subject.name)
                .setArtifact(subject.artifact)
                .setApi(subject.api)
                .setTraceSeconds(subject.traceSeconds)
                .putAllLabels(CampaignJson.labels(subject.labels))
                .setCreatedBy(subject.createdBy)
                .setCreatedAt(DatabaseTime.toProto(subject.createdAt))
                .build();
    }
}
