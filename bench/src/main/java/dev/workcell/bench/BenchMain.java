package dev.workcell.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the benchmarks of issue 4 (1: end-to-end throughput with its pgbench baseline, 2: dispatch
 * latency) against a running control plane, with simulated agents on the real gRPC protocol.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        BenchOptions options = BenchOptions.parse(args);
        String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        ManagedChannel agentChannel = channel(options);
        ManagedChannel clientChannel = channel(options);
        int errors = 0;
        try (SimulatedFleet fleet = SimulatedFleet.connect(agentChannel, options, runId)) {
            System.out.printf("fleet: %d simulated agents, %d targets registered (run %s)%n",
                    fleet.agentCount(), fleet.targets().size(), runId);
            Submitter submitter = new Submitter(clientChannel, runId);
            if (options.throughput()) {
                errors += throughput(options, fleet, submitter);
            }
            if (options.latency()) {
                errors += latency(options, fleet, submitter);
            }
        } finally {
            clientChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            agentChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.exit(errors == 0 ? 0 : 1);
    }

    private static int throughput(BenchOptions options, SimulatedFleet fleet, Submitter submitter) throws Exception {
        System.out.printf("%n== 1. end-to-end throughput: %d EXEC actions, %d targets, %d agents, %d clients%n",
                options.actions(), fleet.targets().size(), fleet.agentCount(), options.clients());
        Double baseline = null;
        if (options.pgAddress() != null) {
            baseline = new PgbenchBaseline(options).run();
            System.out.printf("baseline: pgbench single-row INSERT, -c %d -T %d: %.0f inserts/s%n",
                    options.clients(), options.pgbenchDuration().toSeconds(), baseline);
        }
        ThroughputBench.Result result = new ThroughputBench(submitter, fleet, options).run();
        System.out.printf("throughput: %d of %d SUCCEEDED in %.2f s (all submits answered after %.2f s): %.0f actions/s, errors %d%n",
                result.succeeded(), result.actions(), result.seconds(), result.submitSeconds(),
                result.actionsPerSecond(), result.errors());
        if (baseline != null) {
            System.out.printf("ratio: %.3f of pgbench's INSERT rate (target: at least 0.5)%n",
                    result.actionsPerSecond() / baseline);
        }
        return result.errors();
    }

    private static int latency(BenchOptions options, SimulatedFleet fleet, Submitter submitter) throws Exception {
        System.out.printf("%n== 2. dispatch latency: %d submits/s open loop for %d s over %d targets%n",
                options.rate(), options.latencyDuration().toSeconds(), fleet.targets().size());
        LatencyBench.Result result = new LatencyBench(submitter, fleet, options).run();
        System.out.printf("latency (Submit answered -> Task at agent): p50 %.2f ms, p99 %.2f ms, max %.2f ms (target: p99 < 20 ms)%n",
                result.p50(), result.p99(), result.max());
        System.out.printf("  %d submitted at %.1f/s, %d measured, %d tasks arrived before their Submit answer (counted as 0), errors %d%n",
                result.submitted(), result.achievedRate(), result.measured(), result.taskBeforeAnswer(), result.errors());
        return result.errors();
    }

    private static ManagedChannel channel(BenchOptions options) {
        return ManagedChannelBuilder.forAddress(options.host(), options.port())
                .usePlaintext()
                .maxInboundMessageSize(4 * 1024 * 1024)
                .build();
    }
}
