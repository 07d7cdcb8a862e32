package dev.workcell.bench;

import dev.workcell.proto.v1.AgentServiceGrpc;
import dev.workcell.proto.v1.UpdateAck;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The simulated agents of a run: T targets spread over agent streams of K targets each, all
 * registered before a benchmark starts. Events go to the recorder of the benchmark running.
 */
final class SimulatedFleet implements SimulatedAgent.Listener, AutoCloseable {

    private final List<SimulatedAgent> agents = new ArrayList<>();
    private final java.util.concurrent.ScheduledExecutorService heartbeats =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    private final List<String> targets = new ArrayList<>();
    private volatile SimulatedAgent.Listener recorder;
    private volatile boolean closing;

    private SimulatedFleet() {
    }

    static SimulatedFleet connect(ManagedChannel channel, BenchOptions options, String runId) throws Exception {
        SimulatedFleet fleet = new SimulatedFleet();
        AgentServiceGrpc.AgentServiceStub stub = AgentServiceGrpc.newStub(channel);
        List<CompletableFuture<Void>> welcomes = new ArrayList<>();
        int agentCount = (options.targets() + options.targetsPerAgent() - 1) / options.targetsPerAgent();
        for (int a = 0; a < agentCount; a++) {
            List<String> agentTargets = new ArrayList<>();
            for (int t = a * options.targetsPerAgent(); t < Math.min(options.targets(), (a + 1) * options.targetsPerAgent()); t++) {
                agentTargets.add("bench-" + runId + "-t" + t);
            }
            SimulatedAgent agent = new SimulatedAgent("bench-" + runId + "-host" + a, agentTargets, options.sendRunning(), fleet);
            fleet.agents.add(agent);
            fleet.targets.addAll(agentTargets);
            welcomes.add(agent.connect(stub));
        }
        CompletableFuture.allOf(welcomes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        // Real agents heartbeat every 5 s; the control plane closes streams silent for 15 s.
        fleet.heartbeats.scheduleAtFixedRate(() -> fleet.agents.forEach(SimulatedAgent::heartbeat), 5, 5, TimeUnit.SECONDS);
        return fleet;
    }

    List<String> targets() {
        return targets;
    }

    int agentCount() {
        return agents.size();
    }

    void recordWith(SimulatedAgent.Listener recorder) {
        this.recorder = recorder;
    }

    @Override
    public void taskReceived(String actionId, long nanos) {
        recorder.taskReceived(actionId, nanos);
    }

    @Override
    public void succeeded(String actionId, long nanos) {
        recorder.succeeded(actionId, nanos);
    }

    @Override
    public void refused(UpdateAck ack) {
        recorder.refused(ack);
    }

    @Override
    public void streamFailed(String host, Throwable error) {
        if (closing) {
            return;
        }
        SimulatedAgent.Listener current = recorder;
        if (current != null) {
            current.streamFailed(host, error);
        } else {
            System.err.println("agent " + host + ": stream ended before the benchmark: " + error);
        }
    }

    @Override
    public void close() {
        closing = true;
        heartbeats.shutdownNow();
        agents.forEach(SimulatedAgent::close);
    }
}
