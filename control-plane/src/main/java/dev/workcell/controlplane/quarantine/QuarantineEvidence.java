package dev.workcell.controlplane.quarantine;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/** One failed attempt that counted towards an automatic quarantine. */
@Entity
@Table(name = "quarantine_evidence")
public class QuarantineEvidence extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "quarantine_id", nullable = false)
    public Long quarantineId;

    @Column(name = "action_id", nullable = false)
    public String actionId;

    @Column(nullable = false)
    public int attempt;

    @Column(nullable = false)
    public String failure;

    @Column(nullable = false)
    public String reason;

    @Column(nullable = false)
    public OffsetDateTime at;

    public static Uni<List<QuarantineEvidence>> of(Long quarantineId) {
        return list("quarantineId = ?1 order by at", quarantineId);
    }
}
