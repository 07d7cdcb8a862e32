package dev.workcell.controlplane.campaign;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/** A package under test as stored: an uploaded artifact with the API to trace it with and its labels (JSON). */
@Entity
@Table(name = "subjects")
public class SubjectEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String artifact;

    @Column(nullable = false)
    public String api;

    @Column(name = "trace_seconds", nullable = false)
    public int traceSeconds;

    /** A JSON object of label keys to values. */
    @Column(nullable = false)
    public String labels;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public static Uni<SubjectEntity> named(String name) {
        return find("name", name).firstResult();
    }

    public static Uni<List<SubjectEntity>> byName() {
        return list("order by name");
    }
}
