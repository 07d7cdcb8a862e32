package dev.workcell.controlplane.security;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * An audit row written by Panache, so that it commits in the same transaction as the change it
 * records (see {@link Audit} for the rows written by the SQL client).
 */
@Entity
@Table(name = "audit_events")
public class AuditEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(nullable = false)
    public OffsetDateTime at;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String detail;

    @Column(nullable = false)
    public int occurrences;

    @Column(name = "last_at", nullable = false)
    public OffsetDateTime lastAt;

    /** A new row: something that happened once, now. */
    public static AuditEvent of(String actor, String kind, String subject, String detail) {
        AuditEvent event = new AuditEvent();
        event.at = OffsetDateTime.now();
        event.lastAt = event.at;
        event.actor = actor;
        event.kind = kind;
        event.subject = subject;
        event.detail = detail;
        event.occurrences = 1;
        return event;
    }
}
