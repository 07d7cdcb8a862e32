package dev.workcell.controlplane.action;

import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.SubmitActionResponse;
import dev.workcell.proto.v1.Worker;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The original's Manager: {@link #submit} is its Do. For a submit by target, it finds the worker owning the target
 * ({@link TargetOwners}), writes the action to the ledger before anything is sent, lets the dispatcher push it, and
 * answers at once with the action (not when the task ends); a submit by dimensions goes to
 * {@link MatchingSubmits}. {@link Cancellations} cancels.
 */
@ApplicationScoped
public class Manager {

    private static final int MAX_CREATE_ROUNDS = 3;

    private final SubmitValidator validator;
    private final InputArtifacts inputArtifacts;
    private final TargetOwners owners;
    private final NewActions newActions;
    private final Ledger ledger;
    private final LedgerQueries queries;
    private final AfterCommit afterCommit;
    private final MatchingSubmits matchingSubmits;

    public Manager(
            SubmitValidator validator,
            InputArtifacts inputArtifacts,
            TargetOwners owners,
            NewActions newActions,
            Ledger ledger,
            LedgerQueries queries,
            AfterCommit afterCommit,
            MatchingSubmits matchingSubmits) {
        this.validator = validator;
        this.inputArtifacts = inputArtifacts;
        this.owners = owners;
        this.newActions = newActions;
        this.ledger = ledger;
        this.queries = queries;
        this.afterCommit = afterCommit;
        this.matchingSubmits = matchingSubmits;
    }

    /** Manager.Do: returns the new action, or the existing one it is equivalent to (in flight, or succeeded unless forced). */
    public Uni<SubmitActionResponse> submit(SubmitActionRequest request, Caller caller) {
        return validated(request)
                .chain(valid -> valid.byTarget()
                        ? owners.ownerOf(request).chain(owner -> create(request, owner, valid.input(), caller, 1))
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
        return ledger.insert(newActions.of(request, owner, input, caller), newActions.reasonFor(owner))
                .chain(created -> settle(request, owner, input, caller, created, round)
                        .invoke(() -> created.ifPresent(action -> afterCommit.submitted(List.of(action)))));
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

    private static SubmitActionResponse response(Action action, boolean created) {
        return SubmitActionResponse.newBuilder()
                .setAction(action)
                .setCreated(created)
                .build();
    }
}
