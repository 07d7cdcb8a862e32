package dev.workcell.bench;

import java.util.List;

/**
 * Benchmark 3: N more agents of one target each, all connected to one control plane and
 * heartbeating; the control plane's memory, its CPU while idle and the dispatch latency to their
 * targets, each next to the same figures measured first with only the run's small fleet connected.
 */
final class AgentsBench {

    private static final double P99_TARGET_MS = 50;

    /** The figures of one phase: idle CPU, then memory, then latency under load. */
    private record Phase(
            ProcStat.Usage idle,
            ProcStat.Footprint controlPlane,
            ProcStat.Footprint bench,
            LatencyBench.Result latency) {}

    private final Submitter submitter;
    private final SimulatedFleet small;
    private final BenchOptions options;
    private final String runId;

    AgentsBench(Submitter submitter, SimulatedFleet small, BenchOptions options, String runId) {
        this.submitter = submitter;
        this.small = small;
        this.options = options;
        this.runId = runId;
    }

    /** Runs the benchmark and prints its figures; returns the number of errors. */
    int run() throws Exception {
        if (options.cpPid() == 0) {
            System.out.println("no --cp-pid: the control plane's memory and CPU are not measured");
        }
        System.out.printf("control plane JVM options: %s%n", ProcStat.jvmOptions(options.cpPid()));
        JitWarmup.run(
                "warm-up (the control plane's JIT)",
                "warm",
                options.warmup(),
                options.rate(),
                options.cpPid(),
                (label, duration) -> new LatencyBench(submitter, small, options.rate(), duration, label).run());
        Phase baseline = measure("baseline, " + small.agentCount() + " agents", "base", small);
        try (AgentChannels channels =
                        new AgentChannels(options.host(), List.of(options.port()), options.agentsPerChannel());
                SimulatedFleet many = new SimulatedFleet(
                        "bench-" + runId + "-a", options.agents(), 1, options.sendRunning(), channels, false)) {
            long start = System.nanoTime();
            many.connect(options.connectConcurrency());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "registered %d agents in %.1f s (%.0f/s, at most %d Hellos awaiting their Welcome);"
                            + " %s; heartbeats every 5 s, spread evenly%n",
                    many.agentCount(),
                    seconds,
                    many.agentCount() / seconds,
                    options.connectConcurrency(),
                    channels.describe(many.agentCount()));
            Phase loaded = measure("with " + many.agentCount() + " more agents", "load", many);
            int errors = loaded.latency().errors() + many.streamFailures();
            System.out.printf(
                    "ratios loaded/baseline: control plane RSS %.2f, idle CPU %.2f, p50 %.2f, p99 %.2f%n",
                    ratio(loaded.controlPlane().rssKb(), baseline.controlPlane().rssKb()),
                    ratio(loaded.idle().controlPlane(), baseline.idle().controlPlane()),
                    ratio(loaded.latency().p50(), baseline.latency().p50()),
                    ratio(loaded.latency().p99(), baseline.latency().p99()));
            System.out.printf(
                    "target p99 < %.0f ms and no errors: %s (p99 %.2f ms; errors %d, of which streams of the %d agents"
                            + " that failed %d)%n",
                    P99_TARGET_MS,
                    loaded.latency().p99() < P99_TARGET_MS && errors == 0 ? "met" : "NOT met",
                    loaded.latency().p99(),
                    errors,
                    many.agentCount(),
                    many.streamFailures());
            return errors + baseline.latency().errors();
        }
    }

    private Phase measure(String label, String inputs, SimulatedFleet fleet) throws Exception {
        ProcStat.Usage idle = ProcStat.over(options.idle(), options.cpPid(), options.pgPid());
        Phase phase = new Phase(
                idle,
                ProcStat.footprint(options.cpPid()),
                ProcStat.footprint(ProcessHandle.current().pid()),
                new LatencyBench(submitter, fleet, options.rate(), options.latencyDuration(), inputs).run());
        LatencyBench.Result latency = phase.latency();
        System.out.printf(
                "%s: idle %d s: %s; control plane %s; bench JVM %s%n",
                label, options.idle().toSeconds(), idle, phase.controlPlane(), phase.bench());
        System.out.printf(
                "%s: dispatch latency at %d submits/s for %d s: p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
                        + " %d submitted at %.1f/s, %d measured, errors %d%n",
                label,
                options.rate(),
                options.latencyDuration().toSeconds(),
                latency.p50(),
                latency.p99(),
                latency.max(),
                latency.submitted(),
                latency.achievedRate(),
                latency.measured(),
                latency.errors());
        return phase;
    }

    private static double ratio(double loaded, double baseline) {
        return baseline == 0 ? Double.NaN : loaded / baseline;
    }
}
