package dev.workcell.controlplane.testing;

import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static dev.workcell.controlplane.testing.Api.unique;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ledger check is not vacuous: a ledger tampered behind the control plane's back fails it, naming the action. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LedgerAuditTest {

    @GrpcClient("agents")
    AgentService agents;

    @Inject
    Pool pool;

    @Test
    void lostActionsTransitionsWithoutEventsAndAttemptsRunTwiceAreReported() {
        String target = unique("audit-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("audit-host"), target);
            String sound = succeed(agent, target);
            String silent = succeed(agent, target);
            String twice = succeed(agent, target);
            String lost = (UUID.randomUUID().toString() + UUID.randomUUID())
                    .replace("-", "")
                    .substring(0, 40);
            LedgerAudit audit = LedgerAudit.ofRunningApp();
            assertThatCode(() -> audit.assertConsistent(List.of(sound, silent, twice)))
                    .doesNotThrowAnyException();

            sql("UPDATE actions SET status = 'CANCELLED' WHERE id = $1", silent);
            sql("""
                    INSERT INTO action_events (action_id, attempt, from_status, to_status, reason)
                    VALUES ($1, 1, 'SUCCEEDED', 'DISPATCHED', 'forged'), ($1, 1, 'DISPATCHED', 'SUCCEEDED', 'forged')""", twice);

            assertThatCode(() -> audit.assertConsistent(List.of(sound))).doesNotThrowAnyException();
            assertThatThrownBy(() -> audit.assertConsistent(List.of(sound, silent, twice, lost)))
                    .hasMessageContaining("3 of 4 acknowledged actions")
                    .hasMessageContaining(lost + ": not in the ledger")
                    .hasMessageContaining(silent + ": last event")
                    .hasMessageContaining(twice + ": attempt 1 DISPATCHED 2 times; 2 terminal events")
                    .hasMessageNotContaining(sound);
        }
    }

    @Test
    void anActionOutOfStepWithItsCopyInLiveActionsIsReported() {
        String target = unique("audit-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("audit-host"), target);
            String sound = succeed(agent, target);
            String forgotten = succeed(agent, target);
            LedgerAudit audit = LedgerAudit.ofRunningApp();

            // behind the triggers' back: the action waits again but the queues' table does not know it
            sql("ALTER TABLE actions DISABLE TRIGGER actions_live_update", forgotten, false);
            try {
                sql("UPDATE actions SET status = 'QUEUED' WHERE id = $1", forgotten);
            } finally {
                sql("ALTER TABLE actions ENABLE TRIGGER actions_live_update", forgotten, false);
            }

            assertThatThrownBy(() -> audit.assertConsistent(List.of(sound, forgotten)))
                    .hasMessageContaining("1 of 2 acknowledged actions")
                    .hasMessageContaining("QUEUED but missing from live_actions")
                    .hasMessageNotContaining(sound);
            sql("UPDATE actions SET status = 'SUCCEEDED' WHERE id = $1", forgotten);
        }
    }

    @Test
    void aCompanionHeldWithoutItsGangsAttemptIsReported() {
        String target = unique("audit-phone");
        try (FakeAgent agent = new FakeAgent(agents)) {
            agent.register(unique("audit-host"), target);
            String sound = succeed(agent, target);
            String finished = succeed(agent, target);
            LedgerAudit audit = LedgerAudit.ofRunningApp();

            // a finished action that still holds a device as a companion: that device would never work again
            sql("""
                    INSERT INTO live_actions (id, status, operation, target_id, input_hash, submitted_by, queue_rank, seq,
                                              not_before, queue_deadline, execution_timeout_ms)
                    SELECT id || '@' || 'audit-companion', 'HELD', operation, 'audit-companion', input_hash, submitted_by,
                           queue_rank, seq, not_before, queue_deadline, execution_timeout_ms
                    FROM actions WHERE id = $1""", finished);
            try {
                assertThatThrownBy(() -> audit.assertConsistent(List.of(sound, finished)))
                        .hasMessageContaining("1 of 2 acknowledged actions")
                        .hasMessageContaining(
                                finished + ": SUCCEEDED with companions null but live_actions holds {audit-companion}")
                        .hasMessageNotContaining(sound);
            } finally {
                sql("DELETE FROM live_actions WHERE id = $1 || '@audit-companion'", finished);
            }
        }
    }

    private static String succeed(FakeAgent agent, String target) {
        String id = submitShell(target, "echo " + unique("audited"));
        agent.next(ControlMessage::hasTask);
        agent.send(FakeAgent.update(id, 1, ActionStatus.SUCCEEDED));
        awaitStatus(id, "SUCCEEDED");
        return id;
    }

    private void sql(String statement, String id) {
        sql(statement, id, true);
    }

    private void sql(String statement, String id, boolean withId) {
        (withId
                        ? pool.preparedQuery(statement).execute(Tuple.of(id))
                        : pool.query(statement).execute())
                .await()
                .atMost(Duration.ofSeconds(10));
    }
}
