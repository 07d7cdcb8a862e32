package dev.workcell.controlplane.security;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Who did what outside the action ledger: tokens, enrolments, revocations, refused agents. Never holds a secret.
 * A change written through Panache persists its {@link AuditEvent} in its own transaction instead.
 */
@ApplicationScoped
public class Audit {

    /** One audit row: something that happened {@code occurrences} times, first {@code at}, last {@code lastAt}. */
    public record Event(
            long seq,
            OffsetDateTime at,
            String actor,
            String kind,
            String subject,
            String detail,
            int occurrences,
            OffsetDateTime lastAt) {}

    private final Pool pool;

    public Audit(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> record(String actor, String kind, String subject, String detail) {
        return pool.preparedQuery("INSERT INTO audit_events (actor, kind, subject, detail) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(actor, kind, subject, detail))
                .replaceWithVoid();
    }

    /**
     * Records a refusal, folded into the latest identical row (same actor, kind, subject and detail) when
     * the last one was less than an hour ago: a refused agent retries for as long as it
     * runs, and one row with a count says so without burying everything else.
     */
    public Uni<Void> refused(String actor, String kind, String subject, String detail) {
        return pool.preparedQuery("""
                        WITH repeated AS (
                            UPDATE audit_events SET occurrences = occurrences + 1, last_at = now()
                            WHERE seq = (SELECT max(seq) FROM audit_events
                                         WHERE kind = $2 AND subject = $3 AND actor = $1 AND detail = $4
                                           AND last_at > now() - interval '1 hour')
                            RETURNING seq)
                        INSERT INTO audit_events (actor, kind, subject, detail)
                        SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM repeated)""")
                .execute(Tuple.of(actor, kind, subject, detail))
                .replaceWithVoid();
    }

    /** The latest events, newest first. */
    public Uni<List<Event>> latest(int limit) {
        return before(Long.MAX_VALUE, limit);
    }

    /** The events older than seq, newest first: the next page after an event. */
    public Uni<List<Event>> before(long seq, int limit) {
        return pool.preparedQuery("SELECT * FROM audit_events WHERE seq < $1 ORDER BY seq DESC LIMIT $2")
                .execute(Tuple.of(seq, limit))
                .map(rows -> {
                    List<Event> events = new ArrayList<>();
                    rows.forEach(row -> events.add(new Event(
                            row.getLong("seq"),
                            row.getOffsetDateTime("at"),
                            row.getString("actor"),
                            row.getString("kind"),
                            row.getString("subject"),
                            row.getString("detail"),
                            row.getInteger("occurrences"),
                            row.getOffsetDateTime("last_at"))));
                    return events;
                });
    }
}
