package dev.workcell.controlplane.campaign;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/** A campaign as stored: its subjects, device kinds and replay targets as JSON, and how often it ran. */
@Entity
@Table(name = "campaigns")
public class CampaignEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    /** A JSON array of subject ids. */
    @Column(name = "subject_ids", nullable = false)
    public String subjectIds;

    /** A JSON array of {"name", "dimensions"}. */
    @Column(nullable = false)
    public String kinds;

    /** A JSON array of ReplayTarget names; empty: by each subject's API. */
    @Column(name = "replay_on", nullable = false)
    public String replayOn;

    @Column(nullable = false)
    public int runs;

    /** The token whose last run submits the campaign's follow-ups. */
    @Column(name = "run_by")
    public String runBy;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "last_run_at")
    public OffsetDateTime lastRunAt;

    public static Uni<CampaignEntity> named(String name) {
        return find("name", name).firstResult();
    }

    public static Uni<List<CampaignEntity>> newestFirst() {
        return list("order by createdAt desc, id");
    }
}
