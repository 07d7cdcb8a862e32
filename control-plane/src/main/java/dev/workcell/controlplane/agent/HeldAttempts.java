package dev.workcell.controlplane.agent;

import dev.workcell.controlplane.action.AfterCommit;
import dev.workcell.controlplane.action.Ledger;
import dev.workcell.controlplane.action.LedgerQueries;
import dev.workcell.controlplane.action.LostAttempts;
import dev.workcell.controlplane.worker.AgentSession;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.CancelTask;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.Welcome;
import dev.workcell.proto.v1.Worker;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Settles what a reconnecting agent held against the ledger: attempts it still reports are
 * resumed, attempts it no longer has are queued again as the next attempt ({@link LostAttempts}),
 * attempts the ledger gave up on are abandoned (the Welcome says so); cancels asked for meanwhile
 * are sent again.
 */
@ApplicationScoped
public class HeldAttempts {

    private final Ledger ledger;
    private final LedgerQueries queries;
    private final LostAttempts lostAttempts;
    private final AfterCommit afterCommit;

    public HeldAttempts(Ledger ledger, LedgerQueries queries, LostAttempts lostAttempts, AfterCommit afterCommit) {
        this.ledger = ledger;
        this.queries = queries;
        this.lostAttempts = lostAttempts;
        this.afterCommit = afterCommit;
    }

    /** Settles the attempts of the session's workers and sends the Welcome that tells the agent what to resume and abandon. */
    Uni<Welcome> reconcile(AgentSession session, List<Worker> registered, List<HeldAttempt> held) {
        Map<String, HeldAttempt> reported =
                held.stream().collect(Collectors.toMap(HeldAttempt::getActionId, Function.identity(), (a, b) -> a));
        List<String> workerIds = registered.stream().map(Worker::getId).toList();
        Welcome.Builder welcome = Welcome.newBuilder()
                .setHostId(session.hostId())
                .addAllWorkers(registered)
                .setAcceptsUpdateBatches(true);
        return queries.heldBy(workerIds)
                .onItem()
                .transformToMulti(actions -> Multi.createFrom().iterable(actions))
                .onItem()
                .transformToUniAndConcatenate(action -> {
                    HeldAttempt attempt = reported.remove(action.getId());
                    if (attempt != null && attempt.getAttempt() == action.getAttempt()) {
                        welcome.addResume(attempt);
                        return resume(action, attempt);
                    }
                    return lostAttempts
                            .settle(
                                    action,
                                    "worker " + action.getWorker() + " reconnected without attempt "
                                            + action.getAttempt())
                            .replaceWithVoid();
                })
                .collect()
                .last()
                .map(ignored -> {
                    welcome.addAllAbandon(reported.values());
                    Welcome built = welcome.build();
                    session.push(ControlMessage.newBuilder().setWelcome(built).build());
                    return built;
                });
    }

    private Uni<Void> resume(Action action, HeldAttempt attempt) {
        Uni<?> resumed = ledger.resume(action.getId(), action.getAttempt(), action.getWorker());
        if (attempt.getStatus() != action.getStatus() && attempt.getStatus() == ActionStatus.RUNNING) {
            resumed = resumed.chain(() -> ledger.markRunning(action.getId(), action.getAttempt(), action.getWorker())
                    .invoke(running -> running.ifPresent(afterCommit::changed)));
        }
        Log.infof("resumed attempt %d of %s on worker %s", action.getAttempt(), action.getId(), action.getWorker());
        return resumed.replaceWithVoid();
    }

    /** Sends again the cancels asked for the attempts these workers hold (once the Welcome went out). */
    void resendCancels(AgentSession session, List<Worker> registered) {
        queries.heldBy(registered.stream().map(Worker::getId).toList())
                .subscribe()
                .with(
                        held -> held.stream()
                                .filter(Action::getCancelRequested)
                                .forEach(action -> session.push(ControlMessage.newBuilder()
                                        .setCancel(CancelTask.newBuilder()
                                                .setActionId(action.getId())
                                                .setAttempt(action.getAttempt()))
                                        .build())),
                        failure -> Log.warnf(failure, "could not check pending cancels for %s", session));
    }
}
