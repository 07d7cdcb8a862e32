package dev.workcell.controlplane.quarantine;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.proto.v1.FailureClass;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the devices to quarantine: those not in quarantine whose attempts ended with one failure
 * class at least as often as that class's threshold within its window, counting only attempts
 * since the device's last release. TASK_FAILED (the user's own command failed) never counts.
 */
@ApplicationScoped
public class FailingDevices {

    /** $1 failure classes, $2 their thresholds, $3 their windows (ms), $4 the longest window (ms). */
    private static final String FAILING = """
            WITH limits AS (SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[]) AS l(failure, attempts, window_ms)),
            failed AS (
                SELECT a.target_id, e.action_id, e.failure, e.reason, e.at, l.attempts AS threshold,
                       e.attempt - CASE WHEN e.to_status = 'QUEUED' THEN 1 ELSE 0 END AS attempt,
                       count(*) OVER (PARTITION BY a.target_id, e.failure) AS failures
                FROM action_events e
                JOIN limits l ON l.failure = e.failure
                JOIN actions a ON a.id = e.action_id
                WHERE e.failure <> '' AND e.at > now() - $4 * interval '1 millisecond'
                  AND e.at > now() - l.window_ms * interval '1 millisecond'
                  AND e.at > COALESCE((SELECT max(q.released_at) FROM quarantines q WHERE q.device_id = a.target_id), '-infinity')
                  AND NOT EXISTS (SELECT 1 FROM quarantined_devices qd WHERE qd.device_id = a.target_id))
            SELECT * FROM failed WHERE failures >= threshold ORDER BY target_id, at""";

    private final Pool pool;
    private final Map<FailureClass, WorkcellConfig.Quarantine.Threshold> thresholds;

    public FailingDevices(Pool pool, WorkcellConfig config) {
        this.pool = pool;
        this.thresholds = new LinkedHashMap<>(config.quarantine().failures());
        this.thresholds.remove(FailureClass.TASK_FAILED);
    }

    /** Each device to quarantine, with the failed attempts that condemn it (oldest first). */
    public Uni<Map<String, List<QuarantineEvidence>>> find() {
        if (thresholds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        var classes = List.copyOf(thresholds.keySet());
        long longest = thresholds.values().stream()
                .map(WorkcellConfig.Quarantine.Threshold::window)
                .mapToLong(Duration::toMillis)
                .max()
                .orElseThrow();
        return pool.preparedQuery(FAILING)
                .execute(Tuple.of(
                        classes.stream().map(Enum::name).toArray(String[]::new),
                        classes.stream()
                                .map(failure -> thresholds.get(failure).attempts())
                                .toArray(Integer[]::new),
                        classes.stream()
                                .map(failure -> thresholds.get(failure).window().toMillis())
                                .toArray(Long[]::new),
                        longest))
                .map(rows -> {
                    Map<String, List<QuarantineEvidence>> byDevice = new LinkedHashMap<>();
                    rows.forEach(
                            row -> byDevice.computeIfAbsent(row.getString("target_id"), ignored -> new ArrayList<>())
                                    .add(evidence(row)));
                    return byDevice;
                });
    }

    private static QuarantineEvidence evidence(Row row) {
        QuarantineEvidence evidence = new QuarantineEvidence();
        evidence.actionId = row.getString("action_id");
        evidence.attempt = row.getInteger("attempt");
        evidence.failure = row.getString("failure");
        evidence.reason = row.getString("reason");
        evidence.at = row.getOffsetDateTime("at");
        return evidence;
    }
}
