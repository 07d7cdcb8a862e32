package dev.workcell.controlplane.db;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static dev.workcell.controlplane.testing.FakeAgent.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * live_actions follows an action's phase (queued, holding a device, gone), not each status: the
 * RUNNING report does not touch the copy the claim wrote; the control plane vacuums it (README "The hot
 * path's schema").
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LiveActionsTest {

    @GrpcClient("agents")
    AgentService agents;

    @Inject
    Pool pool;

    @Test
    void theRunningReportLeavesTheLiveCopyTheClaimWroteAndTheEndRemovesIt() {
        String host = unique("live-host");
        String target = unique("live-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(host, target);
            String id = submitShell(target, "true");
            agent.next(ControlMessage::hasTask);
            LiveCopy dispatched = liveCopy(id).orElseThrow();

            agent.send(update(id, 1, ActionStatus.RUNNING));
            awaitStatus(id, "RUNNING");
            LiveCopy running = liveCopy(id).orElseThrow();

            agent.send(update(id, 1, ActionStatus.SUCCEEDED));
            awaitStatus(id, "SUCCEEDED");

            assertThat(dispatched.status()).isEqualTo("DISPATCHED");
            assertThat(dispatched.dispatched()).isTrue();
            assertThat(running).isEqualTo(dispatched);
            assertThat(liveCopy(id)).isEmpty();
        }
    }

    @Test
    void theLiveQueueIsVacuumedOnceItHoldsEnoughDeadRowsNotOnceAMinuteAsAutovacuumWould() {
        long before = vacuums();
        String prefix = unique("dead-row-");
        sql("""
                INSERT INTO live_actions (id, status, operation, input_hash, submitted_by, queue_rank, seq, not_before,
                                          queue_deadline, execution_timeout_ms)
                SELECT $1 || n, 'QUEUED', 'EXEC', $1, 'nobody', now(), -n, now(), 'infinity', 1000
                FROM generate_series(1, 2500) AS n""", prefix);
        sql("DELETE FROM live_actions WHERE id LIKE $1 || '%'", prefix);

        await().atMost(Duration.ofSeconds(40)).until(() -> vacuums() > before);
    }

    private void sql(String statement, String prefix) {
        pool.preparedQuery(statement).execute(Tuple.of(prefix)).await().atMost(Duration.ofSeconds(10));
    }

    private long vacuums() {
        return pool.query("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'live_actions'")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0))
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    /** The copy's row version (ctid and xmin change with every write of it), status and whether it has a dispatch time. */
    record LiveCopy(String version, String status, boolean dispatched) {}

    private Optional<LiveCopy> liveCopy(String id) {
        return pool.preparedQuery("SELECT ctid::text || '/' || xmin::text AS version, status, dispatched_at IS NOT NULL"
                        + " AS dispatched FROM live_actions WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    for (Row row : rows) {
                        return Optional.of(new LiveCopy(
                                row.getString("version"), row.getString("status"), row.getBoolean("dispatched")));
                    }
                    return Optional.<LiveCopy>empty();
                })
                .await()
                .atMost(Duration.ofSeconds(10));
    }
}
