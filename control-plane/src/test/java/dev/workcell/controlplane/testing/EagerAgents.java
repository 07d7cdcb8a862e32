package dev.workcell.controlplane.testing;

import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.UpdateAck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hand-driven agents, one target each, that report every task RUNNING then SUCCEEDED as soon as
 * they get it, each on its own thread: load without real processes.
 */
public final class EagerAgents implements AutoCloseable {

    private final List<String> targets = new ArrayList<>();
    private final List<FakeAgent> agents = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public EagerAgents(AgentService service, int count) {
        for (int i = 0; i < count; i++) {
            FakeAgent agent = new FakeAgent(service);
            String target = Api.unique("eager-phone");
            agent.register(Api.unique("eager-host"), target);
            targets.add(target);
            agents.add(agent);
            Thread thread = new Thread(() -> serve(agent), "eager-agent-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    public List<String> targets() {
        return targets;
    }

    /** Acknowledgements that refused a report; there should be none. */
    public List<String> refused() {
        return refused;
    }

    private void serve(FakeAgent agent) {
        while (!closed) {
            agent.poll(ControlMessage::hasTask, Duration.ofMillis(200))
                    .map(ControlMessage::getTask)
                    .ifPresent(task -> {
                        report(agent, task, ActionStatus.RUNNING);
                        report(agent, task, ActionStatus.SUCCEEDED);
                    });
        }
    }

    private void report(FakeAgent agent, Task task, ActionStatus status) {
        agent.send(FakeAgent.update(task.getActionId(), task.getAttempt(), status));
        UpdateAck ack = agent.next(ControlMessage::hasAck).getAck();
        if (!ack.getAccepted()) {
            refused.add(ack.getActionId() + " " + ack.getStatus() + ": " + ack.getReason());
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread thread : threads) {
            thread.join(5000);
        }
        agents.forEach(FakeAgent::close);
    }
}
