package dev.workcell.controlplane.action;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.errors.PermissionDeniedException;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.worker.WorkerStore;
import dev.workcell.controlplane.worker.Workers;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.SubmitActionResponse;
import dev.workcell.proto.v1.Worker;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The original's Manager: {@link #submit} is its Do. For a submit by target, it finds the worker owning the target,
 * writes the action to the ledger before anything is sent, lets the dispatcher push it, and
 * answers at once with the action (not when the task ends); a submit by dimensions goes to
 * {@link MatchingSubmits}. Also cancels actions.
 */
@ApplicationScoped
public class Manager {

    private static final int MAX_CREATE_ROUNDS = 3;

    private final SubmitValidator validator;
    private final DeviceStore devices;
    private final WorkerStore workerStore;
    private final Workers workers;
    private final Ledger ledger;
    private final LedgerQueries queries;
    private final RetryPolicy retryPolicy;
    private final AfterCommit afterCommit;
    private final InputArtifacts inputArtifacts;
    private final TaskStops taskStops;
    private final WorkcellConfig.Deadlines deadlines;
    private final MatchingSubmits matchingSubmits;

    public Manager(
            SubmitValidator validator,
            DeviceStore devices,
            WorkerStore workerStore,
            Workers workers,
            Ledger ledger,
            LedgerQueries queries,
            RetryPolicy retryPolicy,
            AfterCommit afterCommit,
            InputArtifacts inputArtifacts,
            WorkcellConfig config,
            TaskStops taskStops,
            MatchingSubmits matchingSubmits) {
        this.matchingSubmits = matchingSubmits;
        this.taskStops = taskStops;
        this.inputArtifacts = inputArtifacts;
        this.deadlines = config.deadlines();
        this.validator = validator;
        this.devices = devices;
        this.workerStore = workerStore;
        this.workers = workers;
        this.ledger = ledger;
        this.queries = queries;
        this.retryPolicy = retryPolicy;
        this.afterCommit = afterCommit;
    }

    /** Manager.Do: returns the new action, or the existing one it is equivalent to (in flight, or succeeded unless forced). */
    public Uni<SubmitActionResponse> submit(SubmitActionRequest request, Caller caller) {
        return validated(request)
                .chain(valid -> valid.byTarget()
                        ? ownerOf(request).chain(owner -> create(request, owner, valid.input(), caller, 1))
                        : submitMatching(request, valid, caller));
    }

    /** A submit checked before anything is written: its canonical input, and its slices (none for a submit by target). */
    record Validated(byte[] input, List<SubmitValidator.RequestedSlice> slices) {

        boolean byTarget() {
            return slices.isEmpty();
        }
    }

    /** Checks a submit and the artifacts its input names; fails naming the field when something is wrong. */
    Uni<Validated> validated(SubmitActionRequest request) {
        return Uni.createFrom()
                .item(() -> new Validated(validator.validate(request), validator.slices(request)))
                .call(() -> inputArtifacts.requireAll(request.getInput()));
    }

    Uni<SubmitActionResponse> submitMatching(SubmitActionRequest request, Validated valid, Caller caller) {
        return matchingSubmits.submit(request, valid.slices(), valid.input(), caller);
    }

    /**
     * Cancels a queued action at once; asks the agent to stop a dispatched or running one. A
     * submitter may cancel only the actions it submitted; an admin any.
     */
    public Uni<Action> cancel(String id, Caller caller) {
        return queries.get(id)
                .map(found -> found.orElseThrow(() -> new NotFoundException("no action " + id)))
                .invoke(action -> {
                    if (!caller.isAdmin() && !action.getSubmittedBy().equals(caller.id())) {
                        throw new PermissionDeniedException("action " + id + " was submitted by another token;"
                                + " only its submitter or an admin may cancel it");
                    }
                })
                .chain(action -> switch (action.getStatus()) {
                    case QUEUED ->
                        ledger.cancelQueued(id, "cancelled by " + caller.describe(), caller.id())
                                .chain(done -> reread(id, done));
                    case DISPATCHED, RUNNING ->
                        ledger.requestCancel(id, "cancel requested by " + caller.describe(), caller.id())
                                .invoke(done -> done.ifPresent(this::sendCancel))
                                .chain(done -> reread(id, done));
                    case CANCELLED -> Uni.createFrom().item(action);
                    default ->
                        Uni.createFrom()
                                .failure(new ConflictException(
                                        "action " + id + " already finished: " + action.getStatus()));
                });
    }

    /** The worker that runs this submit's operation on its target; NOT_FOUND naming why when none does. */
    Uni<Worker> ownerOf(SubmitActionRequest request) {
        return workerStore
                .forDevice(request.getTarget())
                .chain(candidates -> candidates.isEmpty()
                        ? devices.resolve(request.getTarget()).map(found -> {
                            throw new NotFoundException("no worker for device " + request.getTarget()
                                    + (found.isPresent()
                                            ? ": it is known but no worker serves it"
                                            : ": no device with that id or serial ever registered"));
                        })
                        : Uni.createFrom().item(owner(request, candidates)));
    }

    private Worker owner(SubmitActionRequest request, List<Worker> candidates) {
        return candidates.stream()
                .filter(worker -> worker.getOperationsList().contains(request.getOperation()))
                .findFirst()
                .orElseThrow(() -> new NotFoundException(
                        "no worker for device " + request.getTarget() + " runs " + request.getOperation()
                                + "; its workers run " + candidates.get(0).getOperationsList()));
    }

    private Uni<Optional<Action>> existing(SubmitActionRequest request, Worker owner, byte[] input) {
        Uni<Optional<Action>> byKey = request.getIdempotencyKey().isEmpty()
                ? Uni.createFrom().item(Optional.empty())
                : queries.byIdempotencyKey(request.getIdempotencyKey());
        return byKey.chain(found -> found.isPresent()
                ? Uni.createFrom().item(found.map(action -> sameRequest(action, request, owner, input)))
                : queries.latestEquivalent(
                                request.getOperation(),
                                owner.getHost(),
                                owner.getTarget(),
                                EquivalentAction.inputHash(input))
                        .map(equivalent ->
                                equivalent.filter(action -> EquivalentAction.reuses(action, request.getForce()))));
    }

    /**
     * Writes the action unless the ledger already holds one it is the same as (key or equivalent);
     * the insert itself decides, so that concurrent submits cannot both create one.
     */
    private Uni<SubmitActionResponse> create(
            SubmitActionRequest request, Worker owner, byte[] input, Caller caller, int round) {
        return ledger.insert(newAction(request, owner, input, caller), reasonFor(owner))
                .chain(created -> settle(request, owner, input, caller, created, round)
                        .invoke(() -> created.ifPresent(action -> afterCommit.submitted(List.of(action)))));
    }

    /** The row a submit by target writes. */
    Ledger.NewAction newAction(SubmitActionRequest request, Worker owner, byte[] input, Caller caller) {
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

    /**
     * What an insert means for the submit, its after-commit effects not yet run: the created
     * action, or the action it collided with. When what it collided with is gone by the time
     * we read it (an equivalent that just failed), tries again.
     */
    Uni<SubmitActionResponse> settle(
            SubmitActionRequest request,
            Worker owner,
            byte[] input,
            Caller caller,
            Optional<Action> created,
            int round) {
        if (created.isPresent()) {
            Log.debugf(
                    "submitted %s %s for device %s", created.get().getId(), request.getOperation(), owner.getTarget());
            return Uni.createFrom().item(response(created.get(), true));
        }
        return existing(request, owner, input).chain(found -> {
            if (found.isPresent()) {
                return Uni.createFrom().item(response(found.get(), false));
            }
            if (round >= MAX_CREATE_ROUNDS) {
                return Uni.createFrom()
                        .failure(new ConflictException("action for " + owner.getTarget()
                                + " kept colliding with equivalent actions that changed meanwhile; submit again"));
            }
            return create(request, owner, input, caller, round + 1);
        });
    }

    /** The action an idempotency key names, if the request is the one that created it (AIP-155); a different one is refused. */
    private static Action sameRequest(Action action, SubmitActionRequest request, Worker owner, byte[] input) {
        String difference = action.getOperation() != request.getOperation()
                ? "operation " + request.getOperation() + ", not " + action.getOperation()
                : !action.getTarget().equals(owner.getTarget())
                        ? "target " + request.getTarget() + ", not " + action.getTarget()
                        : !Arrays.equals(EquivalentAction.canonicalBytes(action.getInput()), input)
                                ? "another input"
                                : null;
        if (difference != null) {
            throw new IdempotencyKeyReusedException(request.getIdempotencyKey(), action.getId(), difference);
        }
        return action;
    }

    private void sendCancel(Action action) {
        afterCommit.changed(action);
        taskStops.stop(action);
    }

    private Uni<Action> reread(String id, Optional<Action> changed) {
        changed.filter(action -> action.getStatus() == ActionStatus.CANCELLED).ifPresent(afterCommit::changed);
        return changed.isPresent()
                ? Uni.createFrom().item(changed.get())
                : queries.get(id).map(Optional::orElseThrow);
    }

    private static Duration orDefault(int seconds, Duration fallback) {
        return seconds == 0 ? fallback : Duration.ofSeconds(seconds);
    }

    private static SubmitActionResponse response(Action action, boolean created) {
        return SubmitActionResponse.newBuilder()
                .setAction(action)
                .setCreated(created)
                .build();
    }
}
