package dev.workcell.controlplane.quota;

import java.time.OffsetDateTime;

/** A submitter's quota as the API shows it. */
public record QuotaView(String submitter, int maxRunning, String note, String setBy, OffsetDateTime setAt) {

    static QuotaView of(SubmitterQuota quota) {
        return new QuotaView(quota.submitter, quota.maxRunning, quota.note, quota.setBy, quota.setAt);
    }
}
