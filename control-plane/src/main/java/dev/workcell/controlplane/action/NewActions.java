package dev.workcell.controlplane.action;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.Worker;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The ledger row a submit by target writes, with the defaults a request leaves out, and its creation event's reason. */
@ApplicationScoped
public class NewActions {

    private final RetryPolicy retryPolicy;
    private final WorkcellConfig.Deadlines deadlines;
    private final Workers workers;

    public NewActions(RetryPolicy retryPolicy, WorkcellConfig config, Workers workers) {
        this.retryPolicy = retryPolicy;
        this.deadlines = config.deadlines();
        this.workers = workers;
    }

    Ledger.NewAction of(SubmitActionRequest request, Worker owner, byte[] input, Caller caller) {
        return new Ledger.NewAction(
                ActionIds.next(),
                request.getOperation(),
                input,
                EquivalentAction.inputHash(input),
                owner,
                retryPolicy.maxAttempts(),
                request.getIdempotencyKey().isEmpty() ? null : request.getIdempotencyKey(),
                orDefault(request.getQueueTimeoutSeconds(), deadlines.queue()),
                orDefault(request.getExecutionTimeoutSeconds(), deadlines.execution()),
                request.getForce(),
                caller.id(),
                SubmitValidator.priorityOf(request));
    }

    /** The reason the creation event records. */
    String reasonFor(Worker owner) {
        return workers.isLive(owner.getId()) ? "submitted" : "submitted; worker " + owner.getId() + " is offline";
    }

    private static Duration orDefault(int seconds, Duration fallback) {
        return seconds == 0 ? fallback : Duration.ofSeconds(seconds);
    }
}
