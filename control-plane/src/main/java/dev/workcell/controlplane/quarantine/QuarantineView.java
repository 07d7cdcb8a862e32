package dev.workcell.controlplane.quarantine;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A quarantine as the API shows it.
 *
 * @param until when a manual quarantine ends by itself; null when it lasts until released
 * @param nextProbeAt when the next probation probe is submitted (automatic quarantines), null while one runs
 * @param probeAction the probation probe in flight, if any
 * @param failedProbes probes that did not pass
 * @param evidence the failed attempts behind an automatic quarantine
 */
public record QuarantineView(
        long id,
        String device,
        String cause,
        String note,
        String by,
        OffsetDateTime since,
        OffsetDateTime until,
        OffsetDateTime nextProbeAt,
        String probeAction,
        int failedProbes,
        OffsetDateTime releasedAt,
        String releasedBy,
        String releaseNote,
        List<Evidence> evidence) {

    /** One failed attempt that counted. */
    public record Evidence(String action, int attempt, String failure, String reason, OffsetDateTime at) {}

    static QuarantineView of(Quarantine quarantine, List<QuarantineEvidence> evidence) {
        return new QuarantineView(
                quarantine.id,
                quarantine.deviceId,
                quarantine.cause.name(),
                quarantine.note,
                quarantine.startedBy,
                quarantine.startedAt,
                quarantine.endsAt,
                quarantine.nextProbeAt,
                quarantine.probeActionId,
                quarantine.probes,
                quarantine.releasedAt,
                quarantine.releasedBy,
                quarantine.releaseNote,
                evidence.stream()
                        .map(failed ->
                                new Evidence(failed.actionId, failed.attempt, failed.failure, failed.reason, failed.at))
                        .toList());
    }
}
