package dev.workcell.bench;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.SubmitActionResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 5: submits by dimensions to a farm of simulated phones with 20 dimensions each: the
 * dispatch latency (Submit answered -> Task at the agent) of an open-loop load, first on a queue that
 * holds nothing else, then with a backlog of waiting actions (for a kind of device that has gone
 * away) written into the ledger with SQL, as a farm whose devices of one kind are all offline.
 */
final class DimensionsBench {

    private static final double P99_TARGET_MS = 20;
    /** The kind of the backlog: a model only the device of an agent that left had. */
    private static final String AWAY_MODEL = "model-away";

    private static final int BACKLOG_QUEUE_TIMEOUT_SECONDS = 86_400;
    /**
     * How long the load runs, not counted, between the backlog's bulk write and the phase measured with it: the
     * write and its VACUUM ANALYZE invalidate every statement PostgreSQL had planned for the control plane, which
     * plans them all again (the matching claim takes 2-30 ms to plan), and leave caches cold; the phase measures a
     * farm that lives with a backlog, not the minute after an operator's bulk insert.
     */
    private static final Duration BACKLOG_SETTLE = Duration.ofSeconds(15);
    /** How long the connected fleet's own cost (heartbeats, gauges, sweeps) is measured before any submit. */
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(10);

    private final Submitter submitter;
    private final SimulatedFleet fleet;
    private final BenchOptions options;
    private final String runId;

    DimensionsBench(Submitter submitter, SimulatedFleet fleet, BenchOptions options, String runId) {
        this.submitter = submitter;
        this.fleet = fleet;
        this.options = options;
        this.runId = runId;
    }

    /** Runs the benchmark and prints its figures; returns the number of errors. */
    int run(AgentChannels channels) throws Exception {
        double speedBefore = MachineSpeed.millis();
        System.out.printf(
                "this machine now: pgbench %.0f single-row inserts/s (benchmark 1's baseline, %d clients, %d s), SHA-256 of"
                        + " 128 MB in %.0f ms on one core: compare runs only when these are alike%n",
                new PgbenchBaseline(options).run(),
                options.clients(),
                options.pgbenchDuration().toSeconds(),
                speedBefore);
        ProcStat.JvmThreads idleJvmBefore = ProcStat.jvmThreads(options.cpPid());
        ProcStat.Usage idle = ProcStat.over(IDLE_WINDOW, options.cpPid(), options.pgPid());
        ProcStat.JvmThreads idleJvm = ProcStat.jvmThreads(options.cpPid()).minus(idleJvmBefore);
        System.out.printf(
                "the fleet alone, no submits, for %d s: %s (the control plane's JIT compilers %.1f %%, GC %.1f %%)%n",
                IDLE_WINDOW.toSeconds(),
                idle,
                100 * idleJvm.compilers() / IDLE_WINDOW.toSeconds(),
                100 * idleJvm.collectors() / IDLE_WINDOW.toSeconds());
        warmUp("warm-up (the control plane's JIT)", "dim-warm", options.warmup());
        Measured emptyRun = latency("dim", options.latencyDuration());
        LatencyBench.Result empty = emptyRun.latency();
        print("no other action waiting", emptyRun);

        Postgres postgres = new Postgres(options);
        leaveAwayKind(channels, postgres);
        String template = submitter
                .submitByDimensions(Map.of("model", AWAY_MODEL), "backlog", 0, BACKLOG_QUEUE_TIMEOUT_SECONDS)
                .get()
                .getAction()
                .getId();
        long start = System.nanoTime();
        postgres.psql(backlog(template, options.backlog() - 1));
        postgres.psql("VACUUM ANALYZE");
        long waiting = Long.parseLong(postgres.psql("SELECT count(*) FROM actions WHERE status = 'QUEUED'")
                .trim());
        if (waiting != options.backlog()) {
            throw new IllegalStateException("the backlog holds " + waiting + " waiting actions, not "
                    + options.backlog() + ": its template " + template + " did not stay QUEUED");
        }
        System.out.printf(
                "backlog: %d actions waiting, for model=%s (its one device's agent left), written with SQL in %.0f s"
                        + " (then VACUUM ANALYZE)%n",
                waiting, AWAY_MODEL, (System.nanoTime() - start) / 1e9);
        warmUp(
                "settling with the backlog (every cached plan was invalidated by the bulk write's ANALYZE)",
                "dim-settle",
                options.warmup().compareTo(BACKLOG_SETTLE) < 0 ? options.warmup() : BACKLOG_SETTLE);
        Measured loadedRun = latency("dim-backlog", options.latencyDuration());
        LatencyBench.Result loaded = loadedRun.latency();
        print("with the backlog waiting", loadedRun);

        System.out.printf(
                "SHA-256 of 128 MB on one core (best of 3; lower is faster): %.0f ms before this benchmark, %.0f ms"
                        + " after%n",
                speedBefore, MachineSpeed.millis());
        int errors = empty.errors() + loaded.errors() + fleet.streamFailures();
        System.out.printf(
                "ratios with backlog / without: p50 %.2f, p99 %.2f%n",
                loaded.p50() / empty.p50(), loaded.p99() / empty.p99());
        System.out.printf(
                "target p99 < %.0f ms both times and no errors: %s%n",
                P99_TARGET_MS,
                empty.p99() < P99_TARGET_MS && loaded.p99() < P99_TARGET_MS && errors == 0 ? "met" : "NOT met");
        return errors;
    }

    /**
     * The n-th submit's dimensions: one of three shapes (model and sdk; gpu prefix, region and tier;
     * manufacturer, an abi set and screen), each value chosen so that some devices of the farm match.
     */
    static Map<String, String> dimensionsOf(int n) {
        return switch (n % 3) {
            case 0 ->
                Map.of(
                        "os",
                        "android",
                        "model",
                        "model-" + (n / 3) % SimulatedDevices.MODELS,
                        "sdk",
                        ">=30",
                        "abi",
                        "arm64-v8a");
            case 1 -> Map.of("gpu", "adreno*", "region", "region-" + (n / 3) % 4, "tier", "silver");
            default -> Map.of("manufacturer", "maker-" + (n / 3) % 5, "abi", "armeabi-v7a|x86_64", "screen", "1080p");
        };
    }

    private void warmUp(String what, String label, Duration minimum) throws InterruptedException {
        JitWarmup.run(
                what,
                label,
                minimum,
                options.rate(),
                options.cpPid(),
                (step, duration) -> latency(step, duration).latency());
    }

    private Measured latency(String label, Duration duration) throws InterruptedException {
        ProcStat.Mark mark = ProcStat.mark(options.cpPid(), options.pgPid());
        ProcStat.JvmThreads jvmBefore = ProcStat.jvmThreads(options.cpPid());
        long start = System.nanoTime();
        LatencyBench.Result result = new LatencyBench(n -> submit(label, n), fleet, options.rate(), duration).run();
        return new Measured(
                result,
                mark.elapsed(),
                ProcStat.jvmThreads(options.cpPid()).minus(jvmBefore),
                (System.nanoTime() - start) / 1e9);
    }

    /** A latency run and the CPU each process used meanwhile (of the control plane's, its JIT compilers' and GC's). */
    private record Measured(
            LatencyBench.Result latency, ProcStat.CpuSeconds cpu, ProcStat.JvmThreads controlPlaneJvm, double seconds) {
        String load() {
            return String.format(
                    "control plane %.0f %% (of which JIT compilers %.0f %%, GC %.0f %%), PostgreSQL %.0f %%, bench JVM %.0f %% of one core",
                    percent(cpu.controlPlane()),
                    percent(controlPlaneJvm.compilers()),
                    percent(controlPlaneJvm.collectors()),
                    percent(cpu.postgres()),
                    percent(cpu.bench()));
        }

        private double percent(double cpuSeconds) {
            return 100 * cpuSeconds / seconds;
        }
    }

    private CompletableFuture<SubmitActionResponse> submit(String label, int n) {
        return submitter.submitByDimensions(dimensionsOf(n), label, n, 0);
    }

    /**
     * An agent whose one device is of the backlog's kind registers and leaves: the kind is known, none is connected
     * (the control plane has marked its worker offline, so that the backlog's template cannot be dispatched to it).
     */
    private void leaveAwayKind(AgentChannels channels, Postgres postgres) throws Exception {
        SimulatedDevices away = (name, index) -> {
            Device phone = SimulatedDevices.phones().describe(name, index);
            return phone.toBuilder()
                    .setHardware(phone.getHardware().toBuilder().setProduct(AWAY_MODEL))
                    .build();
        };
        try (SimulatedFleet gone =
                new SimulatedFleet("bench-" + runId + "-away", 1, 1, options.sendRunning(), channels, false, away)) {
            gone.connect(1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"0"
                .equals(postgres.psql(
                                "SELECT count(*) FROM workers w JOIN devices d ON d.id = w.target_id WHERE w.live AND d.dimensions -> 'model' ? '"
                                        + AWAY_MODEL + "'")
                        .trim())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the control plane still holds the away device's worker live after 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** SQL: n copies of the template action (same slices and set), each with its submission event. */
    private static String backlog(String template, int n) {
        return """
                INSERT INTO actions (id, operation, input, input_hash, status, max_attempts, queue_deadline,
                                     execution_timeout_ms, submitted_by, slices, slice, dimension_set_id, slice_deadline)
                SELECT 'backlog-' || g, operation, input, md5('backlog-' || g), status, max_attempts, queue_deadline,
                       execution_timeout_ms, submitted_by, slices, slice, dimension_set_id, slice_deadline
                FROM actions, generate_series(1, %2$d) g WHERE id = '%1$s';
                INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, actor)
                SELECT id, attempt, NULL, status, 'submitted', submitted_by FROM actions WHERE id LIKE 'backlog-%%';
                """.formatted(template, n);
    }

    private void print(String label, Measured run) {
        LatencyBench.Result result = run.latency();
        System.out.printf(
                "%s: dispatch latency at %d submits/s by dimensions for %d s: p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
                        + " %d submitted at %.1f/s, %d measured, errors %d; meanwhile %s%n  dispatches by second of the run: %s%n",
                label,
                options.rate(),
                options.latencyDuration().toSeconds(),
                result.p50(),
                result.p99(),
                result.max(),
                result.submitted(),
                result.achievedRate(),
                result.measured(),
                result.errors(),
                run.load(),
                result.slowSeconds());
    }
}
