package dev.workcell.bench;

import java.time.Duration;

/**
 * The load of a latency benchmark, not counted, for at least a minimum and then by steps until the
 * control plane's JIT compilers go quiet (under {@link #QUIET_SHARE} of a core over a step) or
 * {@link #LIMIT} is reached: the phases then measure a control plane that has compiled its hot code, as
 * a farm's has after its first minutes. With a fixed 60 s, benchmark 5's compilers still used 14-19 % of
 * a core in the phase measured after it, and its p99 was 43-71 ms; after 150 s, 1 % and 7 ms.
 */
final class JitWarmup {

    /** One run of the load, with a label that makes its submits distinct from those of other runs. */
    interface Load {
        LatencyBench.Result run(String label, Duration duration) throws InterruptedException;
    }

    private static final Duration STEP = Duration.ofSeconds(10);
    static final double QUIET_SHARE = 0.03;
    private static final Duration LIMIT = Duration.ofSeconds(300);

    private JitWarmup() {}

    /** Runs the warm-up and prints how long it took and what the compilers used at its end. */
    static void run(String what, String label, Duration minimum, int rate, long controlPlanePid, Load load)
            throws InterruptedException {
        Duration length = minimum;
        double compilers = ProcStat.jvmThreads(controlPlanePid).compilers();
        long start = System.nanoTime();
        double p99 = load.run(label, minimum).p99();
        double share = share(controlPlanePid, compilers, start);
        for (int n = 1; share >= QUIET_SHARE && length.compareTo(LIMIT) < 0; n++) {
            compilers = ProcStat.jvmThreads(controlPlanePid).compilers();
            start = System.nanoTime();
            p99 = Math.max(p99, load.run(label + "-" + n, STEP).p99());
            share = share(controlPlanePid, compilers, start);
            length = length.plus(STEP);
        }
        System.out.printf(
                "%s, not counted: %d submits/s for %d s (at least %d s, then until the control plane's JIT compilers"
                        + " used under %.0f %% of a core over %d s: %.1f %% over the last step), worst p99 of its steps"
                        + " %.2f ms%n",
                what,
                rate,
                length.toSeconds(),
                minimum.toSeconds(),
                100 * QUIET_SHARE,
                STEP.toSeconds(),
                100 * share,
                p99);
    }

    /** The share of a core the control plane's JIT compilers used since startNanos, when they had used compilersBefore. */
    static double share(long pid, double compilersBefore, long startNanos) {
        return (ProcStat.jvmThreads(pid).compilers() - compilersBefore) / ((System.nanoTime() - startNanos) / 1e9);
    }
}
