package dev.workcell.agent.connection;

import static org.assertj.core.api.Assertions.fail;

import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Stands in for the control plane's agent stream, which cannot run here (the control plane is built
 * after the agent): records what the agent sends, numbered by stream, and lets a test answer or cut.
 */
@GrpcService
public class FakeControlPlane implements AgentService {

    /** A message and the number of the stream it came on. */
    record Received(int stream, AgentMessage message) {}

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger streams = new AtomicInteger();
    private volatile MultiEmitter<? super ControlMessage> toAgent;

    @Override
    public io.smallrye.mutiny.Uni<dev.workcell.proto.v1.EnrollResponse> enroll(
            dev.workcell.proto.v1.EnrollRequest request) {
        return io.smallrye.mutiny.Uni.createFrom()
                .item(dev.workcell.proto.v1.EnrollResponse.newBuilder()
                        .setAgentId("agent-1")
                        .setCredential("wca_fake-credential")
                        .setHostId("host-1")
                        .build());
    }

    @Override
    public Multi<ControlMessage> connect(Multi<AgentMessage> fromAgent) {
        return Multi.createFrom().emitter(emitter -> {
            int stream = streams.incrementAndGet();
            toAgent = emitter;
            fromAgent
                    .subscribe()
                    .with(message -> received.add(new Received(stream, message)), failure -> {}, emitter::complete);
        });
    }

    /** How many streams the agent opened so far. */
    int streams() {
        return streams.get();
    }

    void send(ControlMessage message) {
        toAgent.emit(message);
    }

    /** Breaks the current stream, as a network failure would. */
    void cut() {
        toAgent.fail(Status.UNAVAILABLE.withDescription("cut by the test").asRuntimeException());
    }

    /** The next message matching the filter; other messages are skipped. */
    Received await(Predicate<Received> filter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Received next = poll(deadline); next != null; next = poll(deadline)) {
            if (filter.test(next)) {
                return next;
            }
        }
        return fail("nothing matching arrived within " + timeout);
    }

    /** Fails if a message matching the filter arrives within the time. */
    void assertNone(Predicate<Received> filter, Duration during) throws InterruptedException {
        long deadline = System.nanoTime() + during.toNanos();
        for (Received next = poll(deadline); next != null; next = poll(deadline)) {
            if (filter.test(next)) {
                fail("unexpected message: " + next);
            }
        }
    }

    private Received poll(long deadline) throws InterruptedException {
        return received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
