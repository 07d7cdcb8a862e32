package dev.workcell.controlplane.security;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Who did what outside the action ledger: tokens, enrolments, revocations, refused agents. Never holds a secret. */
@ApplicationScoped
public class Audit {

    /** One audit row. */
    public record Event(long seq, OffsetDateTime at, String actor, String kind, String subject, String detail) {
    }

    private final Pool pool;

    public Audit(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> record(String actor, String kind, String subject, String detail) {
        return pool.preparedQuery("INSERT INTO audit_events (actor, kind, subject, detail) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(actor, kind, subject, detail))
                .replaceWithVoid();
    }

    /** The latest events, newest first. */
    public Uni<List<Event>> latest(int limit) {
        return pool.preparedQuery("SELECT * FROM audit_events ORDER BY seq DESC LIMIT $1").execute(Tuple.of(limit))
                .map(rows -> {
                    List<Event> events = new ArrayList<>();
                    rows.forEach(row -> events.add(new Event(row.getLong("seq"), row.getOffsetDateTime("at"),
                            row.getString("actor"), row.getString("kind"), row.getString("subject"), row.getString("detail"))));
                    return events;
                });
    }
}
