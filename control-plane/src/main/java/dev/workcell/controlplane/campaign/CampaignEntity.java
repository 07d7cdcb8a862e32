package dev.workcell.controlplane.campaign;

import io.quarkus.hibernate.reactive.panache.Panache;
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

    /** The oldest campaign that names the subject, or whose actions (of an earlier shape) used it; null when none. */
    public static Uni<CampaignEntity> naming(String subjectId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                        SELECT c.* FROM campaigns c
                        WHERE c.subject_ids LIKE :quoted
                           OR EXISTS (SELECT 1 FROM campaign_actions l WHERE l.campaign_id = c.id AND l.subject_id = :id)
                        ORDER BY c.created_at, c.id LIMIT 1""", CampaignEntity.class)
                        .setParameter("quoted", "%\"" + subjectId + "\"%")
                        .setParameter("id", subjectId)
                        .getSingleResultOrNull());
    }

    /** Removes the campaign's links to its actions (the actions stay in the ledger). */
    public static Uni<Integer> unlinkActions(String campaignId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("DELETE FROM campaign_actions WHERE campaign_id = :id")
                        .setParameter("id", campaignId)
                        .executeUpdate());
    }

    public static Uni<List<CampaignEntity>> newestFirst() {
        return list("order by createdAt desc, id");
    }
}
