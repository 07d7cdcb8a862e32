package dev.workcell.controlplane.quarantine;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One quarantine of a device, from its start to its release: while it is not released the device
 * takes no work but its probation probe (the claim reads the quarantined_devices view).
 */
@Entity
@Table(name = "quarantines")
public class Quarantine extends PanacheEntityBase {

    /** Who put the device in quarantine: an admin, or its own failed attempts. */
    public enum Cause {
        MANUAL,
        AUTOMATIC
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "device_id", nullable = false)
    public String deviceId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Cause cause;

    @Column(nullable = false)
    public String note;

    @Column(name = "started_by", nullable = false)
    public String startedBy;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt;

    @Column(name = "ends_at")
    public OffsetDateTime endsAt;

    @Column(name = "next_probe_at")
    public OffsetDateTime nextProbeAt;

    @Column(name = "probe_action_id")
    public String probeActionId;

    @Column(nullable = false)
    public int probes;

    @Column(name = "released_at")
    public OffsetDateTime releasedAt;

    @Column(name = "released_by")
    public String releasedBy;

    @Column(name = "release_note")
    public String releaseNote;

    /** The device's quarantine in force, or null. */
    public static Uni<Quarantine> activeOf(String deviceId) {
        return find("deviceId = ?1 and releasedAt is null", deviceId).firstResult();
    }

    /** Every quarantine in force, oldest first. */
    public static Uni<List<Quarantine>> active() {
        return list("releasedAt is null order by id");
    }

    /** Automatic quarantines whose next probation probe is due. */
    public static Uni<List<Quarantine>> probeDue(OffsetDateTime now) {
        return list(
                "releasedAt is null and cause = ?1 and probeActionId is null and nextProbeAt <= ?2",
                Cause.AUTOMATIC,
                now);
    }

    /** Quarantines with a probation probe in flight. */
    public static Uni<List<Quarantine>> probing() {
        return list("releasedAt is null and probeActionId is not null");
    }

    /** Quarantines in force whose end time has come. */
    public static Uni<List<Quarantine>> ended(OffsetDateTime now) {
        return list("releasedAt is null and endsAt <= ?1", now);
    }
}
