package dev.workcell.bench;

import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the benchmarks (1: end-to-end throughput with its pgbench baseline, 2: dispatch latency, 3:
 * many connected agents, 4: recovery from a killed replica, 5: submits by dimensions) against running control
 * planes, with simulated agents on the real gRPC protocol.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        BenchOptions options = BenchOptions.parse(args);
        String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        System.exit(
                options.runs("recovery")
                        ? recovery(options, runId)
                        : options.runs("dimensions") ? dimensions(options, runId) : onOneControlPlane(options, runId));
    }

    /** Benchmarks 1 to 3 with the run's fleet on one control plane; returns the exit status. */
    private static int onOneControlPlane(BenchOptions options, String runId) throws Exception {
        ManagedChannel clientChannel = AgentChannels.open(options.host(), options.port());
        int errors = 0;
        try (AgentChannels agentChannels =
                        new AgentChannels(options.host(), List.of(options.port()), Integer.MAX_VALUE);
                SimulatedFleet fleet = new SimulatedFleet(
                                "bench-" + runId,
                                options.targets(),
                                options.targetsPerAgent(),
                                options.sendRunning(),
                                agentChannels,
                                false)
                        .connect(options.connectConcurrency())) {
            System.out.printf(
                    "fleet: %d simulated agents, %d targets registered (run %s)%n",
                    fleet.agentCount(), fleet.targets().size(), runId);
            Submitter submitter = new Submitter(clientChannel, runId, false);
            if (options.runs("throughput")) {
                errors += throughput(options, fleet, submitter);
            }
            if (options.runs("latency")) {
                errors += latency(options, fleet, submitter);
            }
            if (options.runs("agents")) {
                System.out.printf(
                        "%n== 3. connected agents: %d simulated agents of one target each on one control plane;"
                                + " dispatch latency at %d submits/s for %d s%n",
                        options.agents(),
                        options.rate(),
                        options.latencyDuration().toSeconds());
                errors += new AgentsBench(submitter, fleet, options, runId).run();
            }
        } finally {
            clientChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        return errors == 0 ? 0 : 1;
    }

    /** Benchmark 5, with a fleet of its own: phones with 20 dimensions each; returns the exit status. */
    private static int dimensions(BenchOptions options, String runId) throws Exception {
        System.out.printf(
                "%n== 5. submits by dimensions: %d simulated phones of 20 dimensions each, %d per agent;"
                        + " dispatch latency at %d submits/s for %d s, then with %d actions waiting%n",
                options.devices(),
                options.devicesPerAgent(),
                options.rate(),
                options.latencyDuration().toSeconds(),
                options.backlog());
        ManagedChannel clientChannel = AgentChannels.open(options.host(), options.port());
        try (AgentChannels agentChannels =
                        new AgentChannels(options.host(), List.of(options.port()), Integer.MAX_VALUE);
                SimulatedFleet fleet = new SimulatedFleet(
                                "bench-" + runId + "-dim",
                                options.devices(),
                                options.devicesPerAgent(),
                                options.sendRunning(),
                                agentChannels,
                                false,
                                SimulatedDevices.phones())
                        .connect(options.connectConcurrency())) {
            System.out.printf(
                    "fleet: %d simulated agents, %d phones registered (run %s)%n",
                    fleet.agentCount(), fleet.targets().size(), runId);
            return new DimensionsBench(new Submitter(clientChannel, runId, false), fleet, options, runId)
                                    .run(agentChannels)
                            == 0
                    ? 0
                    : 1;
        } finally {
            clientChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Benchmark 4, on two control planes; returns the exit status. */
    private static int recovery(BenchOptions options, String runId) throws Exception {
        if (options.pgAddress() == null) {
            throw new IllegalArgumentException("--only recovery checks the ledger: it needs --pg");
        }
        System.out.printf(
                "%n== 4. recovery: %d EXEC actions over %d targets, agents and %d submitters split over replicas"
                        + " A (port %d) and B (port %d); B is SIGKILLed after %d submits%n",
                options.actions(),
                options.targets(),
                options.clients(),
                options.port(),
                options.port2(),
                options.killAfter());
        ManagedChannel clientA = AgentChannels.open(options.host(), options.port());
        ManagedChannel clientB = AgentChannels.open(options.host(), options.port2());
        int errors;
        try (AgentChannels agentChannels = new AgentChannels(
                        options.host(), List.of(options.port(), options.port2()), options.agentsPerChannel());
                SimulatedFleet fleet = new SimulatedFleet(
                                "bench-" + runId,
                                options.targets(),
                                options.targetsPerAgent(),
                                options.sendRunning(),
                                agentChannels,
                                true)
                        .connect(options.connectConcurrency())) {
            System.out.printf(
                    "fleet: %d simulated agents (%d on B), %d targets registered (run %s); %s%n",
                    fleet.agentCount(),
                    fleet.hostsOf(1).size(),
                    fleet.targets().size(),
                    runId,
                    agentChannels.describe(fleet.agentCount()));
            FailoverSubmitter submitter =
                    new FailoverSubmitter(new Submitter(clientA, runId, true), new Submitter(clientB, runId, true));
            errors = new RecoveryBench(
                            submitter,
                            fleet,
                            new LedgerCheck(new Postgres(options), "bench-" + runId + "-rec-"),
                            options)
                    .run();
        } finally {
            clientA.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            clientB.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        return errors == 0 ? 0 : 1;
    }

    private static int throughput(BenchOptions options, SimulatedFleet fleet, Submitter submitter) throws Exception {
        System.out.printf(
                "%n== 1. end-to-end throughput: %d EXEC actions, %d targets, %d agents, %d clients, %d repetitions;"
                        + " baseline: pgbench single-row INSERT, -c %d -T %d, before each%n",
                options.actions(),
                fleet.targets().size(),
                fleet.agentCount(),
                options.clients(),
                options.repeat(),
                options.clients(),
                options.pgbenchDuration().toSeconds());
        if (options.preload() > 0) {
            new LedgerPreload(new Postgres(options)).load(options.preload());
        }
        ThroughputBench bench = new ThroughputBench(submitter, fleet, options);
        List<ThroughputBench.Repetition> repetitions = bench.run();
        for (ThroughputBench.Mode mode : ThroughputBench.Mode.values()) {
            List<ThroughputBench.Repetition> of = repetitions.stream()
                    .filter(repetition -> repetition.mode() == mode)
                    .toList();
            if (of.isEmpty()) {
                continue;
            }
            System.out.printf(
                    "throughput, %s: median %s actions/s; ratio to pgbench: median %s (target: at least 0.5);"
                            + " CPU per action, median: PostgreSQL %s ms (target: at most 0.4), control plane %s ms, bench %s ms%n",
                    bench.label(mode),
                    Spread.of(of, repetition -> repetition.result().actionsPerSecond(), "%.0f"),
                    Spread.of(of, ThroughputBench.Repetition::ratio, "%.3f"),
                    Spread.of(
                            of,
                            repetition -> repetition.perAction(repetition.cpu().postgres()),
                            "%.2f"),
                    Spread.of(
                            of,
                            repetition -> repetition.perAction(repetition.cpu().controlPlane()),
                            "%.2f"),
                    Spread.of(
                            of,
                            repetition -> repetition.perAction(repetition.cpu().bench()),
                            "%.2f"));
        }
        return repetitions.stream()
                .mapToInt(repetition -> repetition.result().errors())
                .sum();
    }

    private static int latency(BenchOptions options, SimulatedFleet fleet, Submitter submitter) throws Exception {
        System.out.printf(
                "%n== 2. dispatch latency: %d submits/s open loop for %d s over %d targets%n",
                options.rate(),
                options.latencyDuration().toSeconds(),
                fleet.targets().size());
        JitWarmup.run(
                "warm-up (the control plane's JIT)",
                "lat-warm",
                options.warmup(),
                options.rate(),
                options.cpPid(),
                (label, duration) -> new LatencyBench(submitter, fleet, options.rate(), duration, label).run());
        LatencyBench.Result result =
                new LatencyBench(submitter, fleet, options.rate(), options.latencyDuration(), "lat").run();
        System.out.printf(
                "latency (Submit answered -> Task at agent): p50 %.2f ms, p99 %.2f ms, max %.2f ms (target: p99 < 20 ms)%n",
                result.p50(), result.p99(), result.max());
        System.out.printf(
                "  %d submitted at %.1f/s, %d measured, %d tasks arrived before their Submit answer (counted as 0), errors %d%n",
                result.submitted(),
                result.achievedRate(),
                result.measured(),
                result.taskBeforeAnswer(),
                result.errors());
        return result.errors();
    }
}
