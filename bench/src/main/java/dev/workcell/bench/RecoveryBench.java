package dev.workcell.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Benchmark 4: benchmark 1 on two control-plane replicas sharing one database, half the agents and
 * submitters on each; after a third of the submits, replica B is SIGKILLed. Measures how long its
 * agents take to be welcomed again by A and to get work again, the throughput before and after,
 * and, from the ledger once every action has settled, acknowledged actions that did not succeed
 * (lost) and actions that ran or succeeded twice (duplicated).
 */
final class RecoveryBench {

    /**
     * How long to wait for the ledger to settle after the last submit: an attempt whose agent does
     * not come back is queued again only when its replica is declared dead (workcell.cluster.replica-timeout,
     * 10 s) and the lease grace has run out (workcell.lease.grace, 30 s), swept once a second.
     */
    private static final long SETTLE_SECONDS = 10 + 30 + 20;
    /** Throughput counts as recovered at this fraction of the rate before the kill. */
    private static final double NORMAL = 0.8;
    /** The rate before the kill is taken over this many seconds, when warm. */
    private static final long BEFORE_SECONDS = 5;

    private final FailoverSubmitter submitter;
    private final SimulatedFleet fleet;
    private final LedgerCheck ledger;
    private final BenchOptions options;
    private long killedAt;

    RecoveryBench(FailoverSubmitter submitter, SimulatedFleet fleet, LedgerCheck ledger, BenchOptions options) {
        this.submitter = submitter;
        this.fleet = fleet;
        this.ledger = ledger;
        this.options = options;
    }

    /** Runs the benchmark and prints its figures; returns the number of errors (lost and duplicated included). */
    int run() throws Exception {
        int errors = warmUp();
        RecoveryRecorder recorder = new RecoveryRecorder(fleet.hostsOf(1));
        fleet.recordWith(recorder);
        long start = System.nanoTime();
        submit(recorder, "rec", options.actions(), Long.MAX_VALUE, submits -> kill(recorder, start, submits));
        long submitted = System.nanoTime();
        awaitWelcomedAgain(recorder);
        double settleSeconds = awaitSettled();
        printRecovery(recorder, start, killedAt, submitted);
        System.out.printf(
                "submits: %d acknowledged; %d unanswered by the killed replica (not acknowledged), sent again to A"
                        + " with the same idempotency key: %d created there, %d had been created by B; %d failed for good%n",
                recorder.answeredAt.size(),
                submitter.unanswered.get(),
                submitter.resentCreated.get(),
                submitter.resentExisting.get(),
                recorder.submitErrors.get());
        System.out.printf(
                "ledger settled %.1f s after the last submit was answered (waits up to %d s: an attempt whose agent"
                        + " never came back is queued again only after the replica timeout, 10 s, and the lease grace, 30 s)%n",
                settleSeconds, SETTLE_SECONDS);
        return errors + recorder.errors() + checkLedger(recorder);
    }

    /** The same load on both replicas for the warm-up time, not counted, so that the rate before the kill is a warm one. */
    private int warmUp() throws InterruptedException {
        Recorder recorder = new Recorder();
        fleet.recordWith(recorder);
        long start = System.nanoTime();
        int submitted = submit(
                recorder, "warm", Integer.MAX_VALUE, start + options.warmup().toNanos(), submits -> {});
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recorder.succeeded.get() < submitted - recorder.submitErrors.get() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "warm-up, not counted: %d actions in %.1f s (%.0f/s)%n",
                recorder.succeeded.get(), seconds, recorder.succeeded.get() / seconds);
        return recorder.errors() + submitted - recorder.succeeded.get();
    }

    /**
     * Submits {@code count} actions, or as many as fit before the deadline, with as many in flight as
     * there are clients; calls {@code kill} after {@code options.killAfter()} of them. Returns, once
     * all are answered, how many were submitted.
     */
    private int submit(Recorder recorder, String label, int count, long deadline, IntConsumer kill)
            throws InterruptedException {
        List<String> targets = fleet.targets();
        Semaphore inFlight = new Semaphore(options.clients());
        int i = 0;
        for (; i < count && System.nanoTime() < deadline; i++) {
            if (i == options.killAfter()) {
                kill.accept(i);
            }
            inFlight.acquire();
            submitter.submit(targets.get(i % targets.size()), label, i).whenComplete((response, error) -> {
                inFlight.release();
                if (error != null) {
                    recorder.submitFailed(error);
                } else {
                    recorder.answered(response.getAction().getId(), System.nanoTime());
                }
            });
        }
        inFlight.acquire(options.clients());
        return i;
    }

    private void kill(RecoveryRecorder recorder, long start, int submits) {
        long now = System.nanoTime();
        killedAt = now;
        recorder.killed(now);
        ProcessHandle replica = ProcessHandle.of(options.killPid())
                .orElseThrow(() -> new IllegalStateException("no process " + options.killPid() + " to kill"));
        replica.destroyForcibly();
        System.out.printf(
                "SIGKILL replica B (pid %d) after %d submits, %.2f s into the run%n",
                options.killPid(), submits, (now - start) / 1e9);
    }

    private void awaitWelcomedAgain(RecoveryRecorder recorder) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        while (!recorder.allWelcomedAgain() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Waits until no action of the run is queued or held; returns how long that took, in seconds. */
    private double awaitSettled() throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        Map<String, Integer> statuses = ledger.statuses();
        while (System.nanoTime() < deadline
                && (statuses.containsKey("QUEUED")
                        || statuses.containsKey("DISPATCHED")
                        || statuses.containsKey("RUNNING"))) {
            Thread.sleep(1000);
            statuses = ledger.statuses();
        }
        System.out.println("ledger: actions of this run by status " + statuses);
        return (System.nanoTime() - start) / 1e9;
    }

    private void printRecovery(RecoveryRecorder recorder, long start, long killedAt, long submitted) {
        int agentsOfB = fleet.hostsOf(1).size();
        long welcomedAll = recorder.welcomedAgainAt.values().stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(Long.MAX_VALUE);
        long beforeFrom = Math.max(start, killedAt - TimeUnit.SECONDS.toNanos(BEFORE_SECONDS));
        System.out.printf(
                "agents of B: their streams failed within %s of the kill (%d failures); they reconnected with the"
                        + " real agent's backoff (from 200 ms); welcomed by A: %d of %d, the last %s after the kill%n",
                since(killedAt, recorder.lastFailureAt.get()),
                recorder.expectedStreamFailures.get(),
                recorder.welcomedAgainAt.size(),
                agentsOfB,
                since(killedAt, recorder.allWelcomedAgain() ? welcomedAll : 0));
        System.out.printf(
                "their Hellos listed %d held attempts (finished, not acknowledged): A resumed %d, abandoned %d"
                        + " (already final in the ledger); %d tasks reached them before A's Welcome%n",
                recorder.heldInHello.get(),
                recorder.resumed.get(),
                recorder.abandoned.get(),
                recorder.tasksBeforeWelcome.get());
        System.out.printf(
                "dispatch resumed for them: first task %s after the kill%n",
                since(
                        killedAt,
                        recorder.firstTaskAgainAt.get() == Long.MAX_VALUE ? 0 : recorder.firstTaskAgainAt.get()));
        for (boolean ofB : new boolean[] {false, true}) {
            double before = recorder.rate(beforeFrom, killedAt, ofB);
            double after = recorder.rate(welcomedAll, submitted, ofB);
            System.out.printf(
                    "%s: %.0f actions/s in the %.1f s before the kill, %.0f actions/s from all agents back to the"
                            + " last submit answered (ratio %.2f); back to %.0f %% of before %s after the kill%n",
                    ofB ? "throughput of B's agents" : "throughput of all agents",
                    before,
                    (killedAt - beforeFrom) / 1e9,
                    after,
                    after / before,
                    100 * NORMAL,
                    since(killedAt, backToNormal(recorder, ofB, killedAt, submitted, before)));
        }
        System.out.println("successes per second from the start (kill in second " + (killedAt - start) / 1_000_000_000L
                + "): " + recorder.perSecond(start, submitted));
    }

    /** Start of the first 1 s window after the kill with at least NORMAL of the earlier rate; 0 when none. */
    private static long backToNormal(
            RecoveryRecorder recorder, boolean ofB, long killedAt, long submitted, double before) {
        long second = TimeUnit.SECONDS.toNanos(1);
        for (long t = killedAt; t + second <= submitted; t += second / 10) {
            if (recorder.rate(t, t + second, ofB) >= NORMAL * before) {
                return t;
            }
        }
        return 0;
    }

    private static String since(long from, long to) {
        return to == 0 ? "never (within the run)" : String.format("%.2f s", (to - from) / 1e9);
    }

    /**
     * Lost: acknowledged, not SUCCEEDED. Duplicated: a task that reached agents twice, or two
     * SUCCEEDED events. A later attempt alone is no duplicate: an attempt B claimed that never
     * reached its agent is queued again when the agent says Hello without it.
     */
    private int checkLedger(RecoveryRecorder recorder) throws Exception {
        Map<String, LedgerCheck.Recorded> recorded = ledger.actions();
        int lost = 0;
        for (String id : recorder.answeredAt.keySet()) {
            LedgerCheck.Recorded action = recorded.get(id);
            if (action == null || !action.status().equals("SUCCEEDED")) {
                if (++lost <= 5) {
                    System.err.println("lost: " + id + " " + action);
                }
            }
        }
        Set<String> unacknowledged = new HashSet<>(recorded.keySet());
        unacknowledged.removeAll(recorder.answeredAt.keySet());
        int succeededTwice = 0;
        int laterAttempts = 0;
        int oddEvents = 0;
        int events = 0;
        for (LedgerCheck.Recorded action : recorded.values()) {
            succeededTwice += action.succeededEvents() > 1 ? 1 : 0;
            laterAttempts += action.attempt() > 1 ? 1 : 0;
            events += action.events();
            // QUEUED, then per attempt DISPATCHED, maybe RUNNING, and QUEUED again or the final status.
            int k = action.attempt();
            oddEvents += action.events() < 2 * k + 1 || action.events() > 3 * k + 1 ? 1 : 0;
        }
        int duplicated = recorder.duplicateTasks.get() + succeededTwice;
        System.out.printf(
                "lost: %d acknowledged actions not SUCCEEDED (target 0); %d actions in the ledger never acknowledged%n",
                lost, unacknowledged.size());
        System.out.printf(
                "duplicated: %d (target 0): %d tasks that reached an agent a second time, %d actions with two"
                        + " SUCCEEDED events%n",
                duplicated, recorder.duplicateTasks.get(), succeededTwice);
        for (String id : recorder.receivedTwice.stream().limit(3).toList()) {
            System.out.println("events of " + id + ", whose task reached an agent twice:\n"
                    + ledger.events(id).strip());
        }
        System.out.printf(
                "later attempts: %d actions in the ledger, %d tasks received (an attempt B claimed that never"
                        + " reached its agent is queued again when the agent's Hello does not list it)%n",
                laterAttempts, recorder.laterAttempts.get());
        System.out.printf(
                "events: %d for %d actions; %d actions whose events do not fit their attempts; refused updates %d,"
                        + " stream failures other than B's agents %d%n",
                events, recorded.size(), oddEvents, recorder.refusedUpdates.get(), recorder.streamFailures.get());
        return lost + succeededTwice + oddEvents;
    }
}
