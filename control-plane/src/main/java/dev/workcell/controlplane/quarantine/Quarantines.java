package dev.workcell.controlplane.quarantine;

import dev.workcell.controlplane.action.AfterCommit;
import dev.workcell.controlplane.db.DatabaseTime;
import dev.workcell.controlplane.db.PgErrors;
import dev.workcell.controlplane.device.AvailabilityChanges;
import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.quarantine.Quarantine.Cause;
import dev.workcell.controlplane.security.AuditEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Puts devices in quarantine and releases them. Each change commits in one transaction with its
 * audit row; a release lets the device take its queued work at once.
 */
@ApplicationScoped
public class Quarantines {

    /** How the audit names Workcell itself when it quarantines or releases a device. */
    static final String WORKCELL = "workcell";

    private final AfterCommit afterCommit;
    private final AvailabilityChanges availability;

    public Quarantines(AfterCommit afterCommit, AvailabilityChanges availability) {
        this.afterCommit = afterCommit;
        this.availability = availability;
    }

    /** The quarantine in force on a device, with its evidence; empty when there is none. */
    public Uni<Optional<QuarantineView>> inForce(String deviceId) {
        return Panache.withSession(() -> Quarantine.activeOf(deviceId)
                .chain(active -> active == null
                        ? Uni.createFrom().item(Optional.<QuarantineView>empty())
                        : QuarantineEvidence.of(active.id)
                                .map(evidence -> Optional.of(QuarantineView.of(active, evidence)))));
    }

    /** An admin's quarantine, until released (or until {@code endsAt}, when given). */
    public Uni<Quarantine> quarantine(String deviceId, String note, OffsetDateTime endsAt, String by) {
        Quarantine quarantine = started(deviceId, Cause.MANUAL, note, by);
        quarantine.endsAt = endsAt;
        String detail = note + (endsAt == null ? "" : " (until " + endsAt + ")");
        return start(quarantine, List.of(), detail);
    }

    /** Workcell's own quarantine of a failing device; the first probation probe is due after {@code probeDelay}. */
    Uni<Quarantine> quarantineFailing(String deviceId, List<QuarantineEvidence> evidence, Duration probeDelay) {
        String note = evidence.size() + " failed attempts: "
                + evidence.stream()
                        .map(failed -> failed.failure + " (" + failed.actionId + " attempt " + failed.attempt + ")")
                        .toList();
        Quarantine quarantine = started(deviceId, Cause.AUTOMATIC, note, WORKCELL);
        quarantine.nextProbeAt = quarantine.startedAt.plus(probeDelay);
        return start(quarantine, evidence, note);
    }

    /** Releases the device's quarantine; 409 when it is in none. */
    public Uni<Quarantine> release(String deviceId, String note, String by) {
        return Panache.withTransaction(() -> requireDevice(deviceId)
                        .chain(() -> Quarantine.activeOf(deviceId))
                        .chain(active -> {
                            if (active == null) {
                                throw new ConflictException("device " + deviceId + " is not in quarantine");
                            }
                            return released(active, note, by);
                        }))
                .invoke(() -> releasedNow(deviceId));
    }

    /** Releases this quarantine if it is still in force (a probe passed, its end time came). */
    Uni<Void> releaseIfActive(Long id, String note) {
        return Panache.withTransaction(() -> Quarantine.<Quarantine>findById(id)
                        .chain(quarantine -> quarantine == null || quarantine.releasedAt != null
                                ? Uni.createFrom().nullItem()
                                : released(quarantine, note, WORKCELL)))
                .invoke(released -> {
                    if (released != null) {
                        releasedNow(released.deviceId);
                    }
                })
                .replaceWithVoid();
    }

    /** Records the probe now in flight, unless another replica recorded one first; true when this one counts. */
    Uni<Boolean> probing(Long id, String deviceId, String probeActionId) {
        return Panache.withTransaction(() -> Quarantine.update(
                        "probeActionId = ?1 where id = ?2 and probeActionId is null and releasedAt is null",
                        probeActionId,
                        id))
                .map(updated -> updated > 0)
                .invoke(counts -> {
                    if (counts) {
                        afterCommit.devicesMayBeFree(List.of(deviceId));
                    }
                });
    }

    /** A probe that did not pass: the device stays in quarantine and the next probe is due after {@code delay}. */
    Uni<Void> probeFailed(Long id, String probeActionId, String outcome, Duration delay) {
        return Panache.withTransaction(() -> Quarantine.<Quarantine>findById(id).chain(quarantine -> {
            if (quarantine == null
                    || quarantine.releasedAt != null
                    || !probeActionId.equals(quarantine.probeActionId)) {
                return Uni.createFrom().voidItem();
            }
            quarantine.probeActionId = null;
            quarantine.probes++;
            quarantine.nextProbeAt = DatabaseTime.now().plus(delay);
            return AuditEvent.of(
                            WORKCELL,
                            "device.probe-failed",
                            quarantine.deviceId,
                            "probe " + probeActionId + " " + outcome + "; next probe at " + quarantine.nextProbeAt)
                    .persist()
                    .replaceWithVoid();
        }));
    }

    /** No probe could be submitted: try again after {@code delay}. */
    Uni<Void> postponeProbe(Long id, Duration delay) {
        return Panache.withTransaction(() -> Quarantine.update(
                        "nextProbeAt = ?1 where id = ?2 and probeActionId is null",
                        DatabaseTime.now().plus(delay),
                        id))
                .replaceWithVoid();
    }

    /** After a release committed: the device takes its queued work, and watchers learn it may. */
    private void releasedNow(String deviceId) {
        afterCommit.devicesMayBeFree(List.of(deviceId));
        availability.publish(List.of(deviceId));
    }

    private static Quarantine started(String deviceId, Cause cause, String note, String by) {
        Quarantine quarantine = new Quarantine();
        quarantine.deviceId = deviceId;
        quarantine.cause = cause;
        quarantine.note = note;
        quarantine.startedBy = by;
        quarantine.startedAt = DatabaseTime.now();
        return quarantine;
    }

    private Uni<Quarantine> start(Quarantine quarantine, List<QuarantineEvidence> evidence, String detail) {
        String deviceId = quarantine.deviceId;
        return Panache.withTransaction(() -> requireDevice(deviceId)
                        .chain(() -> Quarantine.activeOf(deviceId))
                        .chain(active -> {
                            if (active != null) {
                                throw alreadyIn(active);
                            }
                            return quarantine.<Quarantine>persist();
                        })
                        .call(started -> {
                            evidence.forEach(failed -> failed.quarantineId = started.id);
                            return evidence.isEmpty()
                                    ? Uni.createFrom().voidItem()
                                    : QuarantineEvidence.persist(evidence);
                        })
                        .call(started -> AuditEvent.of(
                                        started.startedBy,
                                        "device.quarantined",
                                        deviceId,
                                        started.cause.name().toLowerCase() + ": " + detail)
                                .persist()))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(ignored -> new ConflictException("device " + deviceId + " was put in quarantine meanwhile"))
                .invoke(() -> availability.publish(List.of(deviceId)));
    }

    private static Uni<Quarantine> released(Quarantine quarantine, String note, String by) {
        quarantine.releasedAt = DatabaseTime.now();
        quarantine.releasedBy = by;
        quarantine.releaseNote = note;
        return AuditEvent.of(by, "device.released", quarantine.deviceId, note)
                .persist()
                .replaceWith(quarantine);
    }

    private static Uni<Void> requireDevice(String deviceId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("SELECT count(*) FROM devices WHERE id = ?1", Long.class)
                        .setParameter(1, deviceId)
                        .getSingleResult())
                .invoke(count -> {
                    if (count == 0) {
                        throw new NotFoundException("no device " + deviceId);
                    }
                })
                .replaceWithVoid();
    }

    private static ConflictException alreadyIn(Quarantine active) {
        return new ConflictException("device " + active.deviceId + " is already in quarantine since " + active.startedAt
                + " (" + active.cause.name().toLowerCase() + ", by " + active.startedBy + ": " + active.note + ")");
    }
}
