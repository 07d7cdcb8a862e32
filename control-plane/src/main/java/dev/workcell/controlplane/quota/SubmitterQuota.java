package dev.workcell.controlplane.quota;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An admin's cap on how many actions one submitter (an API token) runs at once: beyond it, the
 * claims skip its waiting actions and other submitters' go (see Ledger.WITHIN_QUOTA).
 */
@Entity
@Table(name = "submitter_quotas")
public class SubmitterQuota extends PanacheEntityBase {

    /** The id of the API token whose actions are capped (actions.submitted_by). */
    @Id
    public String submitter;

    @Column(name = "max_running", nullable = false)
    public int maxRunning;

    @Column(nullable = false)
    public String note;

    @Column(name = "set_by", nullable = false)
    public String setBy;

    @Column(name = "set_at", nullable = false)
    public OffsetDateTime setAt;

    /** Every quota, by submitter. */
    public static Uni<List<SubmitterQuota>> all() {
        return list("order by submitter");
    }
}
