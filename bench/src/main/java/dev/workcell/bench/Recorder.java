package dev.workcell.bench;

import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.UpdateAck;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The clock readings of one benchmark, per action: submit answered, task received, success acknowledged. */
class Recorder implements SimulatedAgent.Listener {

    final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    final Map<String, Long> taskAt = new ConcurrentHashMap<>();
    final AtomicInteger succeeded = new AtomicInteger();
    final AtomicLong lastSucceededAt = new AtomicLong();
    final AtomicInteger submitErrors = new AtomicInteger();
    final AtomicInteger refusedUpdates = new AtomicInteger();
    final AtomicInteger streamFailures = new AtomicInteger();
    final AtomicInteger duplicateTasks = new AtomicInteger();

    void answered(String actionId, long nanos) {
        answeredAt.put(actionId, nanos);
    }

    void submitFailed(Throwable error) {
        if (submitErrors.incrementAndGet() <= 5) {
            System.err.println("submit failed: " + error);
        }
    }

    @Override
    public void welcomed(String host, SimulatedAgent.Welcomed welcomed, long nanos) {}

    @Override
    public void taskReceived(String host, Task task, long nanos) {
        if (taskAt.putIfAbsent(task.getActionId(), nanos) != null) {
            duplicateTasks.incrementAndGet();
        }
    }

    @Override
    public void succeeded(String host, String actionId, long nanos) {
        succeeded.incrementAndGet();
        lastSucceededAt.accumulateAndGet(nanos, Math::max);
    }

    @Override
    public void refused(UpdateAck ack) {
        if (refusedUpdates.incrementAndGet() <= 5) {
            System.err.println("update refused: " + ack.getActionId() + " attempt " + ack.getAttempt() + " "
                    + ack.getStatus() + ": " + ack.getReason());
        }
    }

    @Override
    public void streamFailed(String host, Throwable error) {
        if (streamFailures.incrementAndGet() <= 5) {
            System.err.println("agent " + host + ": stream ended: " + error);
        }
    }

    int errors() {
        return submitErrors.get() + refusedUpdates.get() + streamFailures.get() + duplicateTasks.get();
    }
}
