package dev.workcell.controlplane.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/** Finds who a presented secret belongs to: a live client token or an enrolled, unrevoked agent. */
@ApplicationScoped
public class Credentials {

    private final Pool pool;
    private final Counter lookups;

    public Credentials(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.lookups = Counter.builder("workcell.credential.lookups")
                .description("Bearer secrets looked up in the database (one per authenticated call at most)")
                .register(registry);
    }

    public Uni<Optional<Caller>> check(String secret) {
        return pool.preparedQuery("""
                        SELECT id, name, role, NULL AS host_id FROM api_tokens
                        WHERE secret_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
                        UNION ALL
                        SELECT id, host_name, 'agent', host_id FROM agents WHERE secret_hash = $1 AND revoked_at IS NULL""")
                .execute(Tuple.of(Secrets.hash(secret)))
                .onSubscription()
                .invoke(() -> lookups.increment())
                .map(rows -> {
                    var iterator = rows.iterator();
                    return iterator.hasNext() ? Optional.of(caller(iterator.next())) : Optional.empty();
                });
    }

    private static Caller caller(Row row) {
        String hostId = row.getString("host_id");
        Set<String> roles = hostId != null ? Set.of(Roles.AGENT) : Roles.grantedBy(row.getString("role"));
        return new Caller(row.getString("id"), row.getString("name"), roles, hostId);
    }
}
