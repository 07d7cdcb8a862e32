package dev.workcell.bench;

import dev.workcell.proto.v1.AgentServiceGrpc;
import dev.workcell.proto.v1.AgentServiceGrpc.AgentServiceStub;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC connections of simulated agents to one or more control planes on one host: agents are
 * spread evenly over the control planes, and each K agents share one connection per control plane.
 * A channel connects on its first call, so a control plane an agent never fails over to costs no socket.
 * Benchmark 3 defaults to one connection per agent because real agents each have their own, and
 * the control plane's cost per connection is part of what it measures; multiplexing is allowed (the
 * control plane advertises no HTTP/2 stream limit unless quarkus.http.limits.max-concurrent-streams
 * is set: Quarkus replaces Vert.x's default of 100 with Http2Settings' unlimited one).
 */
final class AgentChannels implements AutoCloseable {

    private final String host;
    private final List<Integer> ports;
    private final int agentsPerChannel;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    AgentChannels(String host, List<Integer> ports, int agentsPerChannel) {
        this.host = host;
        this.ports = ports;
        this.agentsPerChannel = agentsPerChannel;
    }

    static ManagedChannel open(String host, int port) {
        return ManagedChannelBuilder.forAddress(host, port)
                .usePlaintext()
                .maxInboundMessageSize(4 * 1024 * 1024)
                .build();
    }

    /** The control plane of agent number {@code agent}: 0 for the first port. */
    int homeOf(int agent) {
        return agent % ports.size();
    }

    /** Where agent number {@code agent} connects: its own control plane first, then the others. */
    List<AgentServiceStub> stubsFor(int agent) {
        List<AgentServiceStub> stubs = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get((homeOf(agent) + i) % ports.size());
            ManagedChannel channel =
                    channels.computeIfAbsent(port + "/" + agent / agentsPerChannel, key -> open(host, port));
            stubs.add(AgentServiceGrpc.newStub(channel));
        }
        return stubs;
    }

    /** How the streams share connections, for the output. */
    String describe(int agents) {
        return agentsPerChannel == 1
                ? "one TCP connection per agent stream, as real agents have"
                : Math.min(agents, agentsPerChannel) + " agent streams per TCP connection";
    }

    @Override
    public void close() throws InterruptedException {
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : channels.values()) {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
