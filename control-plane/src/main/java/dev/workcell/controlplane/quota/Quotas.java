package dev.workcell.controlplane.quota;

import dev.workcell.controlplane.db.DatabaseTime;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.ApiToken;
import dev.workcell.controlplane.security.AuditEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sets and removes submitters' quotas; each change commits in one transaction with its audit row.
 * A raised or removed quota lets the submitter's waiting actions go at the next sweep of the queues.
 */
@ApplicationScoped
public class Quotas {

    /** Sets (or replaces) the quota of an existing API token. */
    public Uni<SubmitterQuota> set(String submitter, int maxRunning, String note, String by) {
        return Panache.withTransaction(() -> requireToken(submitter)
                .chain(() -> SubmitterQuota.<SubmitterQuota>findById(submitter))
                .chain(existing -> {
                    SubmitterQuota quota = existing == null ? new SubmitterQuota() : existing;
                    String before = existing == null ? "none" : Integer.toString(existing.maxRunning);
                    quota.submitter = submitter;
                    quota.maxRunning = maxRunning;
                    quota.note = note;
                    quota.setBy = by;
                    quota.setAt = DatabaseTime.now();
                    return quota.<SubmitterQuota>persist()
                            .call(() -> AuditEvent.of(
                                            by,
                                            "quota.set",
                                            submitter,
                                            "at most " + maxRunning + " running (was " + before + ")"
                                                    + (note.isEmpty() ? "" : ": " + note))
                                    .persist());
                }));
    }

    /** Removes a submitter's quota; 404 when it has none. */
    public Uni<SubmitterQuota> remove(String submitter, String by) {
        return Panache.withTransaction(() -> SubmitterQuota.<SubmitterQuota>findById(submitter)
                .chain(quota -> {
                    if (quota == null) {
                        throw new NotFoundException("submitter", "submitter " + submitter + " has no quota");
                    }
                    return quota.delete()
                            .call(() -> AuditEvent.of(
                                            by,
                                            "quota.removed",
                                            submitter,
                                            "was at most " + quota.maxRunning + " running")
                                    .persist())
                            .replaceWith(quota);
                }));
    }

    private static Uni<Void> requireToken(String submitter) {
        return ApiToken.count("id", submitter)
                .invoke(count -> {
                    if (count == 0) {
                        throw new NotFoundException(
                                "submitter",
                                "no API token " + submitter + ": a quota caps the actions of a token"
                                        + " (an action's submittedBy)");
                    }
                })
                .replaceWithVoid();
    }
}
