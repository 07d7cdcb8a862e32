package dev.workcell.controlplane.metrics;

import com.google.protobuf.util.Timestamps;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Operation;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Workcell's own meters, in one place: the code where something happens calls one method here.
 * Labels are bounded (operation, status, failure class, gRPC code, protocol; never an action id).
 */
@ApplicationScoped
public class WorkcellMetrics {

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(30)
    };
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final MeterRegistry registry;
    private final Counter refusedUpdates;
    /** The meters of every action's changes, registered once each: a registration per change cost 1 % of the control plane's CPU. */
    private final Map<Operation, Counter> submitted = new ConcurrentHashMap<>();

    private final Map<Finished, Counter> finished = new ConcurrentHashMap<>();
    private final Map<Operation, Timer> dispatchLatency = new ConcurrentHashMap<>();

    /** The labels of a finished action's counter. */
    private record Finished(Operation operation, ActionStatus status, String failure) {}

    public WorkcellMetrics(MeterRegistry registry, Workers workers) {
        this.registry = registry;
        this.refusedUpdates = Counter.builder("workcell.agent.updates.refused")
                .description(
                        "Task updates from agents refused by the fencing rules (stale attempt, not the holder, illegal transition)")
                .register(registry);
        Gauge.builder("workcell.agent.streams", workers, live -> live.sessions().size())
                .description("Agent streams holding live workers on this replica")
                .register(registry);
        for (Operation operation : List.of(Operation.TRACE, Operation.REPLAY, Operation.REPORT, Operation.EXEC)) {
            submitted.put(operation, submittedCounter(operation));
        }
        List.of("rest", "grpc").forEach(this::rateLimitCounter);
    }

    /**
     * A committed change of an action, as published to watchers (once per change, on the replica
     * that wrote it): the first attempt QUEUED is a submit (a retry is a later attempt), a terminal
     * status counts it as finished, the first dispatch records its submit-to-dispatch latency (both
     * times from the database's clock).
     */
    public void changed(Action action) {
        if (action.getStatus() == ActionStatus.QUEUED && action.getAttempt() == 1) {
            submitted
                    .computeIfAbsent(action.getOperation(), this::submittedCounter)
                    .increment();
        } else if (isTerminal(action.getStatus())) {
            finished.computeIfAbsent(
                            new Finished(action.getOperation(), action.getStatus(), failureName(action)),
                            this::finishedCounter)
                    .increment();
        } else if (action.getStatus() == ActionStatus.DISPATCHED && action.getAttempt() == 1) {
            dispatchLatency
                    .computeIfAbsent(action.getOperation(), this::dispatchLatencyTimer)
                    .record(Duration.ofMillis(Math.max(
                            0,
                            Timestamps.toMillis(action.getUpdatedAt()) - Timestamps.toMillis(action.getCreatedAt()))));
        }
    }

    /** An agent stream ended with an error (a broken connection, a silent agent, a protocol error). */
    public void streamReset(Throwable failure) {
        Counter.builder("workcell.agent.stream.resets")
                .description("Agent streams that ended with an error, by gRPC status code")
                .tags("code", Status.fromThrowable(failure).getCode().name())
                .register(registry)
                .increment();
    }

    /** An agent's task update was refused. */
    public void updateRefused() {
        refusedUpdates.increment();
    }

    /** A call was refused by the rate limiter; protocol is rest or grpc. */
    public void rateLimited(String protocol) {
        rateLimitCounter(protocol).increment();
    }

    /** Wraps a group commit's batch writer so that each batch's size is recorded under its kind. */
    public <I, O> Function<List<I>, Uni<List<O>>> batches(String kind, Function<List<I>, Uni<List<O>>> write) {
        DistributionSummary sizes = DistributionSummary.builder("workcell.group.commit.batch")
                .description("Rows written by one group-commit statement")
                .baseUnit("rows")
                .tags("kind", kind)
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry);
        return batch -> {
            sizes.record(batch.size());
            return write.apply(batch);
        };
    }

    private Counter submittedCounter(Operation operation) {
        return Counter.builder("workcell.actions.submitted")
                .description("Actions written to the ledger by a submit")
                .tags("operation", operation.name())
                .register(registry);
    }

    private Counter finishedCounter(Finished labels) {
        return Counter.builder("workcell.actions.finished")
                .description("Actions that reached a terminal status")
                .tags(
                        "operation",
                        labels.operation().name(),
                        "status",
                        labels.status().name(),
                        "failure",
                        labels.failure())
                .register(registry);
    }

    private Timer dispatchLatencyTimer(Operation operation) {
        return Timer.builder("workcell.action.dispatch.latency")
                .description("From submit to the first dispatch of an action")
                .tags("operation", operation.name())
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    private Counter rateLimitCounter(String protocol) {
        return Counter.builder("workcell.rate.limit.refusals")
                .description("Calls refused by the per-credential or per-address rate limit")
                .tags("protocol", protocol)
                .register(registry);
    }

    private static boolean isTerminal(ActionStatus status) {
        return switch (status) {
            case SUCCEEDED, FAILED, CANCELLED, EXPIRED -> true;
            default -> false;
        };
    }

    private static String failureName(Action action) {
        FailureClass failure = action.getFailure();
        return failure == FailureClass.FAILURE_CLASS_UNSPECIFIED ? "none" : failure.name();
    }
}
