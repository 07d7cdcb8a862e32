package dev.workcell.controlplane.testing;

import static org.awaitility.Awaitility.await;

import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.TaskUpdate;
import io.quarkus.grpc.GrpcClientUtils;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One agent stream driven by hand over the real gRPC protocol, for the cases a well-behaved
 * agent never produces: forged, stale, duplicate and out-of-order updates.
 */
public final class FakeAgent implements AutoCloseable {

    private final UnicastProcessor<AgentMessage> outbound = UnicastProcessor.create();
    private final BlockingQueue<ControlMessage> inbound = new LinkedBlockingQueue<>();
    private final List<ControlMessage> unmatched = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean completed;
    private final AgentService agents;
    private final String pool;
    private boolean connected;

    /** Connects when the first message is sent, with the credential of the host its Hello names. */
    public FakeAgent(AgentService agents) {
        this(agents, TestCredentials.POOL);
    }

    /** An agent whose host enrolls in this pool. */
    public FakeAgent(AgentService agents, String pool) {
        this.agents = agents;
        this.pool = pool;
    }

    private synchronized void connectAs(Device host) {
        if (connected) {
            return;
        }
        connected = true;
        Device enrolled = host.getName().isEmpty() && host.getSerial().isEmpty()
                ? Device.newBuilder().setName("nameless-" + TestCredentials.RUN).build()
                : host;
        GrpcClientUtils.attachHeaders(
                        agents,
                        TestCredentials.headers(TestCredentials.agentCredential(Api.testPort(), enrolled, pool)))
                .connect(outbound)
                .subscribe()
                .with(inbound::add, failure::set, () -> completed = true);
    }

    public static Hello hello(String host, String target, HeldAttempt... held) {
        return Hello.newBuilder()
                .setHost(Device.newBuilder().setName(host).setSerial(host))
                .addTargets(TargetDevice.newBuilder()
                        .setDevice(Device.newBuilder().setName(target).setSerial(target))
                        .addOperations(Operation.EXEC))
                .addAllHeld(List.of(held))
                .setAgentVersion("fake")
                .build();
    }

    /** Says hello as an agent of one host serving one target, and returns the control plane's Welcome. */
    public dev.workcell.proto.v1.Welcome register(String host, String target) {
        return send(hello(host, target)).next(ControlMessage::hasWelcome).getWelcome();
    }

    public FakeAgent send(Hello hello) {
        connectAs(hello.getHost());
        outbound.onNext(AgentMessage.newBuilder().setHello(hello).build());
        return this;
    }

    public FakeAgent send(AgentMessage message) {
        connectAs(message.getHello().getHost());
        outbound.onNext(message);
        return this;
    }

    public FakeAgent send(TaskUpdate update) {
        connectAs(Device.getDefaultInstance());
        outbound.onNext(AgentMessage.newBuilder().setUpdate(update).build());
        return this;
    }

    public static TaskUpdate update(String actionId, int attempt, ActionStatus status) {
        TaskUpdate.Builder update = TaskUpdate.newBuilder()
                .setActionId(actionId)
                .setAttempt(attempt)
                .setStatus(status);
        if (status == ActionStatus.SUCCEEDED) {
            update.setOutput(ActionOutput.newBuilder().setExitCode(0).setStdoutTail("ok"));
        }
        if (status == ActionStatus.FAILED) {
            update.setFailure(FailureClass.TASK_FAILED).setError("exit code 1");
        }
        return update.build();
    }

    /** The oldest message matching the predicate; fails after 10 s. */
    public ControlMessage next(Predicate<ControlMessage> wanted) {
        return poll(wanted, Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError(
                        "no matching message in 10 s; stream failure: " + failure.get() + ", completed: " + completed));
    }

    /**
     * The oldest message matching the predicate, if one comes within the timeout; the others stay
     * for later calls (an ack must not swallow the next task). One test thread per agent.
     */
    public Optional<ControlMessage> poll(Predicate<ControlMessage> wanted, Duration timeout) {
        for (var iterator = unmatched.iterator(); iterator.hasNext(); ) {
            ControlMessage message = iterator.next();
            if (wanted.test(message)) {
                iterator.remove();
                return Optional.of(message);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ControlMessage message = inbound.poll(100, TimeUnit.MILLISECONDS);
                if (message != null && wanted.test(message)) {
                    return Optional.of(message);
                }
                if (message != null) {
                    unmatched.add(message);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return Optional.empty();
    }

    /** The stream's failure, once it failed; null when it did not fail within 10 s. */
    public Throwable awaitFailure() {
        awaitUpTo10Seconds(() -> failure.get() != null);
        return failure.get();
    }

    /** Whether the stream ended (completed or failed) within 10 s. */
    public boolean awaitEnd() {
        awaitUpTo10Seconds(() -> completed || failure.get() != null);
        return completed || failure.get() != null;
    }

    private static void awaitUpTo10Seconds(Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(10))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .until(condition);
        } catch (ConditionTimeoutException timedOut) {
            // the callers answer what they saw: no failure, or no end
        }
    }

    /** Ends the stream from the agent's side, like an agent going away. */
    @Override
    public void close() {
        outbound.onComplete();
    }
}
