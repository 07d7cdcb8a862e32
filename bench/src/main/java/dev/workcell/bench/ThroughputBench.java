package dev.workcell.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 1: N EXEC actions submitted by C concurrent clients over the fleet's targets; actions
 * per second from the first submit to the last SUCCEEDED acknowledged to a simulated agent. After a
 * warm-up that lasts until the control plane's JIT is quiet, R repetitions; before each, its own pgbench baseline and fresh statistics (ANALYZE), so
 * that no repetition runs on plans made for a nearly empty ledger while another does not. With a
 * batch size, each repetition then runs the same N actions again in batch submits of that many
 * items (C batches in flight), after the same baseline and a fresh ANALYZE.
 */
final class ThroughputBench {

    /** What benchmark 1 measured. */
    record Result(
            int actions, int succeeded, double seconds, double actionsPerSecond, double submitSeconds, int errors) {}

    /** How the actions of a run are submitted. */
    enum Mode {
        SINGLE,
        BATCH
    }

    /** One measured repetition of one mode: the result, its baseline (inserts/s, 0 without --pg) and the CPU it took. */
    record Repetition(Mode mode, Result result, double baseline, ProcStat.CpuSeconds cpu) {
        double ratio() {
            return baseline > 0 ? result.actionsPerSecond() / baseline : 0;
        }

        /** Milliseconds of CPU per succeeded action. */
        double perAction(double cpuSeconds) {
            return 1000 * cpuSeconds / Math.max(1, result.succeeded());
        }
    }

    private static final int MAX_WARMUP_ROUNDS = 8;

    private final Submitter submitter;
    private final SimulatedFleet fleet;
    private final BenchOptions options;

    ThroughputBench(Submitter submitter, SimulatedFleet fleet, BenchOptions options) {
        this.submitter = submitter;
        this.fleet = fleet;
        this.options = options;
    }

    /** The warm-up (the control plane's JIT), then the measured repetitions. */
    List<Repetition> run() throws InterruptedException, IOException {
        warmUp();
        List<Repetition> repetitions = new ArrayList<>();
        for (int r = 1; r <= options.repeat(); r++) {
            double baseline = 0;
            if (options.pgAddress() != null) {
                baseline = new PgbenchBaseline(options).run();
            }
            repetitions.add(measure(r, Mode.SINGLE, baseline));
            if (options.batchSize() > 0) {
                repetitions.add(measure(r, Mode.BATCH, baseline));
            }
        }
        return repetitions;
    }

    /**
     * Rounds of a quarter as many actions as a repetition, in each mode, until the control plane's JIT compilers
     * used under {@link JitWarmup#QUIET_SHARE} of a core over a round, at most {@link #MAX_WARMUP_ROUNDS}: after one
     * fixed round the first repetition still ran at about half the rate of the third (2026-12-04: 525, 839, 1,037/s),
     * its control plane at twice the CPU per action.
     */
    private void warmUp() throws InterruptedException {
        int actions = options.actions() / 4;
        for (int round = 1; ; round++) {
            double compilers = ProcStat.jvmThreads(options.cpPid()).compilers();
            long start = System.nanoTime();
            Result single = run("tp-warmup-" + round, actions);
            String batched = "";
            if (options.batchSize() > 0) {
                Result batch = runBatched("tp-warmup-batch-" + round, actions);
                batched = String.format(
                        ", then in batches of %d at %.0f/s", options.batchSize(), batch.actionsPerSecond());
            }
            double share = JitWarmup.share(options.cpPid(), compilers, start);
            System.out.printf(
                    "warm-up round %d, not counted: %d actions at %.0f/s%s; the control plane's JIT compilers used %.1f %%"
                            + " of a core (the measured repetitions start once under %.0f %%, or after %d rounds)%n",
                    round,
                    actions,
                    single.actionsPerSecond(),
                    batched,
                    100 * share,
                    100 * JitWarmup.QUIET_SHARE,
                    MAX_WARMUP_ROUNDS);
            if (share < JitWarmup.QUIET_SHARE || round == MAX_WARMUP_ROUNDS) {
                return;
            }
        }
    }

    private Repetition measure(int r, Mode mode, double baseline) throws InterruptedException, IOException {
        if (options.pgAddress() != null) {
            new Postgres(options).psql("VACUUM ANALYZE");
        }
        ProcStat.Mark mark = ProcStat.mark(options.cpPid(), options.pgPid());
        Result result = mode == Mode.SINGLE
                ? run("tp" + r, options.actions())
                : runBatched("tp" + r + "-batch", options.actions());
        Repetition repetition = new Repetition(mode, result, baseline, mark.elapsed());
        System.out.printf(
                "repetition %d, %s: %d of %d SUCCEEDED in %.2f s (submits answered after %.2f s): %.0f actions/s,"
                        + " errors %d; pgbench %.0f inserts/s, ratio %.3f; CPU per action: PostgreSQL %.2f ms,"
                        + " control plane %.2f ms, bench %.2f ms%n",
                r,
                label(mode),
                result.succeeded(),
                result.actions(),
                result.seconds(),
                result.submitSeconds(),
                result.actionsPerSecond(),
                result.errors(),
                baseline,
                repetition.ratio(),
                repetition.perAction(repetition.cpu().postgres()),
                repetition.perAction(repetition.cpu().controlPlane()),
                repetition.perAction(repetition.cpu().bench()));
        return repetition;
    }

    String label(Mode mode) {
        return mode == Mode.SINGLE ? "single submits" : "batches of " + options.batchSize();
    }

    /** The same as {@link #run(String, int)}, the actions sent in SubmitBatch calls of the batch size. */
    private Result runBatched(String label, int actions) throws InterruptedException {
        Recorder recorder = new Recorder();
        fleet.recordWith(recorder);
        List<String> targets = fleet.targets();
        Semaphore inFlight = new Semaphore(options.clients());
        long start = System.nanoTime();
        for (int first = 0; first < actions; first += options.batchSize()) {
            List<String> batch = new ArrayList<>();
            for (int i = first; i < Math.min(actions, first + options.batchSize()); i++) {
                batch.add(targets.get(i % targets.size()));
            }
            inFlight.acquire();
            submitter.submitBatch(batch, label, first).whenComplete((response, error) -> {
                inFlight.release();
                if (error != null) {
                    batch.forEach(ignored -> recorder.submitFailed(error));
                    return;
                }
                response.getResultsList().stream()
                        .filter(result -> !result.hasCreated())
                        .forEach(result -> recorder.submitFailed(new IllegalStateException("not created: " + result)));
            });
        }
        return finish(recorder, inFlight, start, actions);
    }

    private Result run(String label, int actions) throws InterruptedException {
        Recorder recorder = new Recorder();
        fleet.recordWith(recorder);
        List<String> targets = fleet.targets();
        Semaphore inFlight = new Semaphore(options.clients());
        long start = System.nanoTime();
        for (int i = 0; i < actions; i++) {
            inFlight.acquire();
            submitter.submit(targets.get(i % targets.size()), label, i).whenComplete((response, error) -> {
                inFlight.release();
                if (error != null) {
                    recorder.submitFailed(error);
                } else if (!response.getCreated()) {
                    recorder.submitFailed(new IllegalStateException(
                            "de-duplicated: " + response.getAction().getId()));
                }
            });
        }
        return finish(recorder, inFlight, start, actions);
    }

    /** Once every submit is answered and every accepted action succeeded (or stalled), what the run measured. */
    private Result finish(Recorder recorder, Semaphore inFlight, long start, int actions) throws InterruptedException {
        inFlight.acquire(options.clients());
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        awaitAllSucceeded(recorder, actions);
        double seconds = (recorder.lastSucceededAt.get() - start) / 1e9;
        int succeeded = recorder.succeeded.get();
        return new Result(
                actions,
                succeeded,
                seconds,
                succeeded / seconds,
                submitSeconds,
                recorder.errors() + (actions - succeeded));
    }

    /** Waits until every accepted action succeeded, or until nothing succeeded for 30 s. */
    private void awaitAllSucceeded(Recorder recorder, int actions) throws InterruptedException {
        int expected = actions - recorder.submitErrors.get();
        int seen = -1;
        long lastProgress = System.nanoTime();
        while (recorder.succeeded.get() < expected) {
            int now = recorder.succeeded.get();
            if (now != seen) {
                seen = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(30)) {
                System.err.println("throughput: stalled at " + now + " of " + expected + " SUCCEEDED");
                return;
            }
            Thread.sleep(5);
        }
    }
}
