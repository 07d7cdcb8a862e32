package dev.workcell.controlplane.action;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.errors.PermissionDeniedException;
import dev.workcell.controlplane.errors.TooLargeException;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.SubmitActionResponse;
import dev.workcell.proto.v1.Worker;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Many submits in one call, each checked, deduplicated and answered as {@link Manager#submit}
 * would answer it alone, but written together: the submits by target with one insert statement,
 * and their after-commit effects run once for all (each target that got a new action is kicked once). A submit by dimensions is
 * written on its own. An item refused for what it asks (bad field, unknown target, reused
 * idempotency key) is answered with its refusal and does not fail the others; a failure of the
 * database fails the whole call.
 */
@ApplicationScoped
public class BatchSubmits {

    private final Manager manager;
    private final TargetOwners targetOwners;
    private final NewActions newActions;
    private final Ledger ledger;
    private final AfterCommit afterCommit;
    private final int maxItems;

    public BatchSubmits(
            Manager manager,
            TargetOwners targetOwners,
            NewActions newActions,
            Ledger ledger,
            AfterCommit afterCommit,
            WorkcellConfig config) {
        this.manager = manager;
        this.targetOwners = targetOwners;
        this.newActions = newActions;
        this.ledger = ledger;
        this.afterCommit = afterCommit;
        this.maxItems = config.limits().maxBatchItems();
    }

    /** What became of one item: the submit's response, or why it was refused (nothing was written for it). */
    public record Outcome(SubmitActionResponse response, RuntimeException refusal) {

        static Outcome answered(SubmitActionResponse response) {
            return new Outcome(response, null);
        }

        static Outcome refused(Throwable refusal) {
            return new Outcome(null, (RuntimeException) refusal);
        }
    }

    /** One outcome per item, in the items' order; refuses the whole call (changing nothing) with no item or too many. */
    public Uni<List<Outcome>> submit(List<SubmitActionRequest> items, Caller caller) {
        return Uni.createFrom()
                .item(() -> checkedSize(items))
                .chain(checked -> prepareAll(checked, caller))
                .chain(prepared -> write(prepared, caller));
    }

    private List<SubmitActionRequest> checkedSize(List<SubmitActionRequest> items) {
        if (items.isEmpty()) {
            throw new InvalidRequestException("items", "required: at least one submit");
        }
        if (items.size() > maxItems) {
            throw new InvalidRequestException("items", "at most " + maxItems + " items a call, got " + items.size());
        }
        return items;
    }

    /** An item checked and, for a submit by target, ready to insert; or already answered. */
    private record Prepared(SubmitActionRequest request, Worker owner, byte[] input, Outcome outcome) {

        boolean ready() {
            return outcome == null;
        }
    }

    private Uni<List<Prepared>> prepareAll(List<SubmitActionRequest> items, Caller caller) {
        Map<String, Uni<Worker>> owners = new HashMap<>();
        List<Uni<Prepared>> prepared =
                items.stream().map(item -> prepare(item, caller, owners)).toList();
        return Uni.join().all(prepared).andFailFast();
    }

    private Uni<Prepared> prepare(SubmitActionRequest request, Caller caller, Map<String, Uni<Worker>> owners) {
        return manager.validated(request)
                .chain(valid -> valid.byTarget()
                        ? ownerOf(request, owners).map(owner -> new Prepared(request, owner, valid.input(), null))
                        : manager.submitMatching(request, valid, caller).map(response -> answered(request, response)))
                .onFailure(BatchSubmits::isRefusal)
                .recoverWithItem(refusal -> new Prepared(request, null, null, Outcome.refused(refusal)));
    }

    /** Looks a target's owner up once per batch, however many items name it. */
    private Uni<Worker> ownerOf(SubmitActionRequest request, Map<String, Uni<Worker>> owners) {
        synchronized (owners) {
            return owners.computeIfAbsent(
                    request.getTarget() + "\u0000" + request.getOperation(),
                    key -> targetOwners.ownerOf(request).memoize().indefinitely());
        }
    }

    private static Prepared answered(SubmitActionRequest request, SubmitActionResponse response) {
        return new Prepared(request, null, null, Outcome.answered(response));
    }

    private Uni<List<Outcome>> write(List<Prepared> prepared, Caller caller) {
        List<Prepared> ready = prepared.stream().filter(Prepared::ready).toList();
        List<Ledger.NewAction> actions = ready.stream()
                .map(item -> newActions.of(item.request(), item.owner(), item.input(), caller))
                .toList();
        List<String> reasons =
                ready.stream().map(item -> newActions.reasonFor(item.owner())).toList();
        return ledger.insertBatch(actions, reasons)
                .chain(inserted -> settleAll(ready, inserted, caller)
                        .invoke(() -> afterCommit.submitted(
                                inserted.stream().flatMap(Optional::stream).toList())))
                .map(settled -> inOrder(prepared, ready, settled));
    }

    private Uni<List<Outcome>> settleAll(List<Prepared> ready, List<Optional<Action>> inserted, Caller caller) {
        if (ready.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Outcome>> settled = new ArrayList<>();
        for (int i = 0; i < ready.size(); i++) {
            Prepared item = ready.get(i);
            settled.add(manager.settle(item.request(), item.owner(), item.input(), caller, inserted.get(i), 1)
                    .map(Outcome::answered)
                    .onFailure(BatchSubmits::isRefusal)
                    .recoverWithItem(Outcome::refused));
        }
        return Uni.join().all(settled).andFailFast();
    }

    private static List<Outcome> inOrder(List<Prepared> prepared, List<Prepared> ready, List<Outcome> settled) {
        List<Outcome> outcomes = new ArrayList<>(prepared.size());
        int next = 0;
        for (Prepared item : prepared) {
            outcomes.add(item.ready() ? settled.get(next++) : item.outcome());
        }
        return outcomes;
    }

    /** A failure that is about what the item asks, not about the control plane or its database. */
    private static boolean isRefusal(Throwable failure) {
        return failure instanceof InvalidRequestException
                || failure instanceof NotFoundException
                || failure instanceof ConflictException
                || failure instanceof TooLargeException
                || failure instanceof PermissionDeniedException;
    }
}
