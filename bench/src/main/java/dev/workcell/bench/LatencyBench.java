package dev.workcell.bench;

import dev.workcell.proto.v1.SubmitActionResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Benchmark 2: an open-loop load of R submits per second for D seconds; per action, the time from
 * the Submit response received to the Task received by the simulated agent (one process, one clock).
 */
final class LatencyBench {

    /** What benchmark 2 measured, in milliseconds. */
    record Result(
            int submitted,
            int measured,
            double p50,
            double p99,
            double max,
            int taskBeforeAnswer,
            double achievedRate,
            int errors) {}

    private final IntFunction<CompletableFuture<SubmitActionResponse>> submit;
    private final SimulatedFleet fleet;
    private final int rate;
    private final Duration duration;

    /** @param label makes the inputs of this run's submits distinct from those of other runs on the same targets */
    LatencyBench(Submitter submitter, SimulatedFleet fleet, int rate, Duration duration, String label) {
        this(n -> submitter.submit(fleet.targets().get(n % fleet.targets().size()), label, n), fleet, rate, duration);
    }

    /** @param submit sends the n-th submit of the run */
    LatencyBench(
            IntFunction<CompletableFuture<SubmitActionResponse>> submit,
            SimulatedFleet fleet,
            int rate,
            Duration duration) {
        this.submit = submit;
        this.fleet = fleet;
        this.rate = rate;
        this.duration = duration;
    }

    Result run() throws InterruptedException {
        Recorder recorder = new Recorder();
        fleet.recordWith(recorder);
        int total = (int) (rate * duration.toSeconds());
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            submit.apply(i).whenComplete((response, error) -> {
                if (error != null) {
                    recorder.submitFailed(error);
                } else {
                    recorder.answered(response.getAction().getId(), System.nanoTime());
                }
            });
        }
        double achievedRate = total / ((System.nanoTime() - start) / 1e9);
        awaitTasks(recorder, total);
        return summarize(recorder, total, achievedRate);
    }

    private static void awaitTasks(Recorder recorder, int total) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline
                && (recorder.answeredAt.size() + recorder.submitErrors.get() < total
                        || !recorder.taskAt.keySet().containsAll(recorder.answeredAt.keySet()))) {
            Thread.sleep(10);
        }
    }

    private static Result summarize(Recorder recorder, int total, double achievedRate) {
        long[] nanos = new long[recorder.answeredAt.size()];
        int measured = 0;
        int taskFirst = 0;
        int missing = 0;
        for (var answered : recorder.answeredAt.entrySet()) {
            Long task = recorder.taskAt.get(answered.getKey());
            if (task == null) {
                missing++;
                continue;
            }
            long latency = task - answered.getValue();
            if (latency < 0) {
                taskFirst++;
                latency = 0;
            }
            nanos[measured++] = latency;
        }
        long[] sorted = Arrays.copyOf(nanos, measured);
        Arrays.sort(sorted);
        return new Result(
                total,
                measured,
                millis(percentile(sorted, 0.50)),
                millis(percentile(sorted, 0.99)),
                millis(measured == 0 ? 0 : sorted[measured - 1]),
                taskFirst,
                achievedRate,
                recorder.errors() + missing);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
