package dev.workcell.bench;

import dev.workcell.proto.v1.SubmitActionResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

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
            int errors,
            String slowSeconds) {}

    /** A dispatch slower than this is counted in {@link Result#slowSeconds}: when in the run the tail happened. */
    private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How many of the seconds with the most slow dispatches {@link Result#slowSeconds} lists. */
    private static final int SLOW_SECONDS_SHOWN = 6;

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
        Instant startedAt = Instant.now();
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
        return summarize(recorder, total, achievedRate, start, startedAt);
    }

    private static void awaitTasks(Recorder recorder, int total) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline
                && (recorder.answeredAt.size() + recorder.submitErrors.get() < total
                        || !recorder.taskAt.keySet().containsAll(recorder.answeredAt.keySet()))) {
            Thread.sleep(10);
        }
    }

    private static Result summarize(Recorder recorder, int total, double achievedRate, long start, Instant startedAt) {
        long[] nanos = new long[recorder.answeredAt.size()];
        Map<Long, Integer> slowPerSecond = new TreeMap<>();
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
            if (latency > SLOW_NANOS) {
                slowPerSecond.merge(TimeUnit.NANOSECONDS.toSeconds(answered.getValue() - start), 1, Integer::sum);
            }
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
                recorder.errors() + missing,
                slowSeconds(slowPerSecond, startedAt));
    }

    /**
     * "n over 20 ms in k distinct seconds; most in s 12 (40), s 3 (7)..., s 0 = 05:31:02.120 UTC": clustered (a
     * stall, to find in a profile or a log by its time) or spread (a saturated machine).
     */
    private static String slowSeconds(Map<Long, Integer> slowPerSecond, Instant startedAt) {
        int slow = slowPerSecond.values().stream().mapToInt(Integer::intValue).sum();
        String most = slowPerSecond.entrySet().stream()
                .sorted(Map.Entry.<Long, Integer>comparingByValue().reversed())
                .limit(SLOW_SECONDS_SHOWN)
                .map(second -> "s " + second.getKey() + " (" + second.getValue() + ")")
                .collect(Collectors.joining(", "));
        return slow + " over " + TimeUnit.NANOSECONDS.toMillis(SLOW_NANOS) + " ms in " + slowPerSecond.size()
                + " distinct seconds" + (slow == 0 ? "" : "; most in " + most + "; s 0 = " + startedAt);
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
