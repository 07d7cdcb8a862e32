package dev.workcell.bench;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 1: N EXEC actions submitted by C concurrent clients over the fleet's targets; actions
 * per second from the first submit to the last SUCCEEDED acknowledged to a simulated agent.
 */
final class ThroughputBench {

    /** What benchmark 1 measured. */
    record Result(int actions, int succeeded, double seconds, double actionsPerSecond, double submitSeconds, int errors) {
    }

    private final Submitter submitter;
    private final SimulatedFleet fleet;
    private final BenchOptions options;

    ThroughputBench(Submitter submitter, SimulatedFleet fleet, BenchOptions options) {
        this.submitter = submitter;
        this.fleet = fleet;
        this.options = options;
    }

    /** The measured run, after a warm-up of a quarter as many actions (the control plane's JIT), not counted. */
    Result run() throws InterruptedException {
        int warmup = options.actions() / 4;
        Result warm = run("tp-warmup", warmup);
        System.out.printf("warm-up, not counted: %d actions at %.0f/s%n", warmup, warm.actionsPerSecond());
        return run("tp", options.actions());
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
                    recorder.submitFailed(new IllegalStateException("de-duplicated: " + response.getAction().getId()));
                }
            });
        }
        inFlight.acquire(options.clients());
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        awaitAllSucceeded(recorder, actions);
        double seconds = (recorder.lastSucceededAt.get() - start) / 1e9;
        int succeeded = recorder.succeeded.get();
        return new Result(actions, succeeded, seconds, succeeded / seconds, submitSeconds, recorder.errors() + (actions - succeeded));
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
