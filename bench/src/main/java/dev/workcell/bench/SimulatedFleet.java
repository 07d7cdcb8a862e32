package dev.workcell.bench;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.UpdateAck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated agents of a run: T targets spread over agent streams of K targets each, all
 * registered before a benchmark starts, at most C Hellos awaiting their Welcome at once. Events go
 * to the recorder of the benchmark running.
 */
final class SimulatedFleet implements SimulatedAgent.Listener, AutoCloseable {

    /** Real agents heartbeat every 5 s; the control plane closes streams silent for 15 s. */
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final long WELCOME_TIMEOUT_SECONDS = 60;

    private final List<SimulatedAgent> agents = new ArrayList<>();
    private final List<Integer> homes = new ArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fleet-timers");
        thread.setDaemon(true);
        return thread;
    });
    private final List<String> targets = new ArrayList<>();
    private final AtomicInteger streamFailures = new AtomicInteger();
    private volatile SimulatedAgent.Listener recorder;
    private volatile boolean closing;

    /**
     * @param prefix    of the host and target names, unique to the run
     * @param reconnect whether an agent whose stream fails connects again (to the next control plane)
     */
    SimulatedFleet(
            String prefix,
            int targetCount,
            int targetsPerAgent,
            boolean sendRunning,
            AgentChannels channels,
            boolean reconnect) {
        this(prefix, targetCount, targetsPerAgent, sendRunning, channels, reconnect, SimulatedDevices.plain());
    }

    /** @param devices how each agent describes its targets */
    SimulatedFleet(
            String prefix,
            int targetCount,
            int targetsPerAgent,
            boolean sendRunning,
            AgentChannels channels,
            boolean reconnect,
            SimulatedDevices devices) {
        int agentCount = (targetCount + targetsPerAgent - 1) / targetsPerAgent;
        for (int a = 0; a < agentCount; a++) {
            List<Device> agentTargets = new ArrayList<>();
            for (int t = a * targetsPerAgent; t < Math.min(targetCount, (a + 1) * targetsPerAgent); t++) {
                agentTargets.add(devices.describe(prefix + "-t" + t, t));
                targets.add(prefix + "-t" + t);
            }
            agents.add(new SimulatedAgent(
                    prefix + "-host" + a,
                    agentTargets,
                    sendRunning,
                    this,
                    channels.stubsFor(a),
                    reconnect ? timers : null));
            homes.add(channels.homeOf(a));
        }
    }

    /**
     * Connects every agent, at most {@code concurrency} awaiting their Welcome at once, and starts
     * its heartbeats at once: the phases are spread evenly over the 5 s whatever the registration takes.
     */
    SimulatedFleet connect(int concurrency) throws InterruptedException {
        Semaphore pending = new Semaphore(concurrency);
        List<CompletableFuture<Void>> welcomes = new ArrayList<>();
        long epoch = System.nanoTime();
        for (int a = 0; a < agents.size(); a++) {
            SimulatedAgent agent = agents.get(a);
            pending.acquire();
            welcomes.add(agent.connect()
                    .orTimeout(WELCOME_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .whenComplete((welcome, error) -> pending.release()));
            long phase = epoch + HEARTBEAT_NANOS * a / agents.size();
            timers.scheduleAtFixedRate(
                    agent::heartbeat,
                    Math.floorMod(phase - System.nanoTime(), HEARTBEAT_NANOS),
                    HEARTBEAT_NANOS,
                    TimeUnit.NANOSECONDS);
        }
        List<Throwable> failures = welcomes.stream()
                .map(welcome -> welcome.handle((ok, error) -> error).join())
                .filter(error -> error != null)
                .toList();
        if (!failures.isEmpty()) {
            Throwable first =
                    failures.get(0) instanceof CompletionException wrapped ? wrapped.getCause() : failures.get(0);
            throw new IllegalStateException(
                    failures.size() + " of " + agents.size() + " simulated agents were not welcomed; first: " + first,
                    first);
        }
        return this;
    }

    List<String> targets() {
        return targets;
    }

    int agentCount() {
        return agents.size();
    }

    /** Hosts of the agents whose first control plane is number {@code home}. */
    Set<String> hostsOf(int home) {
        Set<String> hosts = new HashSet<>();
        for (int a = 0; a < agents.size(); a++) {
            if (homes.get(a) == home) {
                hosts.add(agents.get(a).host());
            }
        }
        return hosts;
    }

    /** Streams that failed since the fleet connected, whoever was recording. */
    int streamFailures() {
        return streamFailures.get();
    }

    void recordWith(SimulatedAgent.Listener recorder) {
        this.recorder = recorder;
    }

    @Override
    public void welcomed(String host, SimulatedAgent.Welcomed welcomed, long nanos) {
        SimulatedAgent.Listener current = recorder;
        if (current != null) {
            current.welcomed(host, welcomed, nanos);
        }
    }

    @Override
    public void taskReceived(String host, Task task, long nanos) {
        recorder.taskReceived(host, task, nanos);
    }

    @Override
    public void succeeded(String host, String actionId, long nanos) {
        recorder.succeeded(host, actionId, nanos);
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
        streamFailures.incrementAndGet();
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
        timers.shutdownNow();
        agents.forEach(SimulatedAgent::close);
    }
}
