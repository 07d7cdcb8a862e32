package dev.workcell.controlplane.security;

import dev.workcell.controlplane.cluster.ClusterBus;
import dev.workcell.controlplane.cluster.ClusterMessage.AgentsRevoked;
import dev.workcell.controlplane.db.PgErrors;
import dev.workcell.controlplane.device.DeviceIdentity;
import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.errors.PermissionDeniedException;
import dev.workcell.proto.v1.Device;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Agents and their credentials. An agent presents an enrollment token once, for its host, and gets
 * a credential of its own; one host has one unrevoked agent, so a second agent claiming the same
 * host is refused until an admin revokes the first. Revoking an agent cuts its streams at once,
 * on every replica.
 */
@ApplicationScoped
public class EnrolledAgents {

    /** An agent as listed: never its credential. A draining agent finishes what it runs and gets no new task. */
    public record Agent(
            String id,
            String hostId,
            String hostName,
            String pool,
            List<String> labels,
            String enrolledWith,
            OffsetDateTime enrolledAt,
            OffsetDateTime revokedAt,
            boolean draining,
            OffsetDateTime drainingSince) {

        /** The agent of a row of the agents table. */
        public static Agent of(Row row) {
            OffsetDateTime drainingSince = row.getOffsetDateTime("draining_since");
            return new Agent(
                    row.getString("id"),
                    row.getString("host_id"),
                    row.getString("host_name"),
                    row.getString("pool"),
                    Arrays.asList(row.getArrayOfStrings("labels")),
                    row.getString("enrolled_with"),
                    row.getOffsetDateTime("enrolled_at"),
                    row.getOffsetDateTime("revoked_at"),
                    drainingSince != null,
                    drainingSince);
        }
    }

    /** An agent just enrolled, with the credential it must keep. */
    public record Enrolled(Agent agent, String credential) {}

    private final Pool pool;
    private final Audit audit;
    private final ClusterBus bus;
    private final List<Consumer<String>> revocationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public EnrolledAgents(Pool pool, Audit audit, ClusterBus bus) {
        this.pool = pool;
        this.audit = audit;
        this.bus = bus;
        bus.on(AgentsRevoked.class, revoked -> revoked.ids().forEach(this::revoked));
    }

    public Uni<Enrolled> enroll(String enrollmentSecret, Device host) {
        String hostId = DeviceIdentity.deviceId(host);
        String hostName = host.getName().isEmpty() ? host.getSerial() : host.getName();
        String credential = Secrets.newSecret(Secrets.AGENT_CREDENTIAL);
        return pool.preparedQuery("""
                        WITH token AS (
                            UPDATE enrollment_tokens SET uses = uses + 1
                            WHERE secret_hash = $1 AND revoked_at IS NULL AND expires_at > now() AND (reusable OR uses = 0)
                            RETURNING id, pool, labels)
                        INSERT INTO agents (id, host_id, host_name, secret_hash, pool, labels, enrolled_with)
                        SELECT $2, $3, $4, $5, pool, labels, id FROM token
                        RETURNING *""")
                .execute(Tuple.of(
                        Secrets.hash(enrollmentSecret),
                        Secrets.newId("a-"),
                        hostId,
                        hostName,
                        Secrets.hash(credential)))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(ignored -> new ConflictException("host " + hostName + " (" + hostId
                        + ") is already enrolled; an admin must revoke its agent before another can enroll"))
                .onFailure(ConflictException.class)
                .call(conflict -> audit.refused("host " + hostName, "agent.refused", hostId, conflict.getMessage()))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return audit.refused(
                                        "host " + hostName,
                                        "enrollment.refused",
                                        hostId,
                                        "unknown, expired, used or revoked enrollment token")
                                .chain(() -> Uni.createFrom()
                                        .failure(new PermissionDeniedException(
                                                "enrollment token unknown, expired, already used or revoked")));
                    }
                    Agent agent = Agent.of(rows.iterator().next());
                    return audit.record(
                                    "agent " + agent.id(),
                                    "agent.enrolled",
                                    agent.id(),
                                    "host " + hostName + " (" + hostId + "), pool " + agent.pool() + ", with "
                                            + agent.enrolledWith())
                            .replaceWith(new Enrolled(agent, credential));
                });
    }

    public Uni<List<Agent>> list() {
        return pool.query("SELECT * FROM agents ORDER BY enrolled_at").execute().map(rows -> {
            List<Agent> agents = new ArrayList<>();
            rows.forEach(row -> agents.add(Agent.of(row)));
            return agents;
        });
    }

    public Uni<Agent> revoke(String id, Caller by) {
        return pool.preparedQuery(
                        "UPDATE agents SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new NotFoundException("no agent " + id);
                    }
                    return Agent.of(rows.iterator().next());
                })
                .call(agent -> audit.record(by.describe(), "agent.revoked", id, "host " + agent.hostName()))
                .invoke(agent -> {
                    revoked(id);
                    bus.tell(new AgentsRevoked(List.of(id)));
                });
    }

    /** Called with the id of every agent revoked, here or on another replica. */
    public void onRevoked(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    private void revoked(String agentId) {
        revocationListeners.forEach(listener -> listener.accept(agentId));
    }
}
