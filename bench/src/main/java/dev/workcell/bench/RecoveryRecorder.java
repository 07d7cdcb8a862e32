package dev.workcell.bench;

import dev.workcell.proto.v1.Task;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The readings of benchmark 4 on top of benchmark 1's: when each agent of the killed replica was
 * welcomed again and first got a task from the survivor, every success on the clock, and tasks of a
 * later attempt. The stream failures of those agents after the kill are expected, not errors.
 */
final class RecoveryRecorder extends Recorder {

    private final Set<String> killedReplicasHosts;
    private volatile long killedAt;
    final Map<String, Long> welcomedAgainAt = new ConcurrentHashMap<>();
    final AtomicLong firstTaskAgainAt = new AtomicLong(Long.MAX_VALUE);
    final Queue<Long> succeededAt = new ConcurrentLinkedQueue<>();
    final Queue<Long> succeededOnKilledReplicasAgentsAt = new ConcurrentLinkedQueue<>();
    final AtomicInteger expectedStreamFailures = new AtomicInteger();
    final AtomicLong lastFailureAt = new AtomicLong();
    final AtomicInteger heldInHello = new AtomicInteger();
    final AtomicInteger resumed = new AtomicInteger();
    final AtomicInteger abandoned = new AtomicInteger();
    final AtomicInteger tasksBeforeWelcome = new AtomicInteger();
    final AtomicInteger laterAttempts = new AtomicInteger();
    final Set<String> receivedTwice = ConcurrentHashMap.newKeySet();

    RecoveryRecorder(Set<String> killedReplicasHosts) {
        this.killedReplicasHosts = killedReplicasHosts;
    }

    void killed(long nanos) {
        killedAt = nanos;
    }

    boolean allWelcomedAgain() {
        return welcomedAgainAt.size() == killedReplicasHosts.size();
    }

    @Override
    public void welcomed(String host, SimulatedAgent.Welcomed welcomed, long nanos) {
        if (killedAt != 0 && killedReplicasHosts.contains(host)) {
            welcomedAgainAt.putIfAbsent(host, nanos);
            heldInHello.addAndGet(welcomed.held());
            resumed.addAndGet(welcomed.resumed());
            abandoned.addAndGet(welcomed.abandoned());
            tasksBeforeWelcome.addAndGet(welcomed.tasksBefore());
        }
    }

    @Override
    public void taskReceived(String host, Task task, long nanos) {
        if (taskAt.containsKey(task.getActionId())) {
            receivedTwice.add(task.getActionId());
        }
        super.taskReceived(host, task, nanos);
        if (task.getAttempt() > 1) {
            laterAttempts.incrementAndGet();
        }
        if (welcomedAgainAt.containsKey(host)) {
            firstTaskAgainAt.accumulateAndGet(nanos, Math::min);
        }
    }

    @Override
    public void succeeded(String host, String actionId, long nanos) {
        super.succeeded(host, actionId, nanos);
        succeededAt.add(nanos);
        if (killedReplicasHosts.contains(host)) {
            succeededOnKilledReplicasAgentsAt.add(nanos);
        }
    }

    @Override
    public void streamFailed(String host, Throwable error) {
        if (killedAt != 0 && killedReplicasHosts.contains(host)) {
            expectedStreamFailures.incrementAndGet();
            lastFailureAt.accumulateAndGet(System.nanoTime(), Math::max);
        } else {
            super.streamFailed(host, error);
        }
    }

    /** Successes acknowledged in [from, to), per second: of all agents, or of the killed replica's only. */
    double rate(long from, long to, boolean killedReplicasAgents) {
        Queue<Long> times = killedReplicasAgents ? succeededOnKilledReplicasAgentsAt : succeededAt;
        return to <= from ? 0 : times.stream().filter(t -> t >= from && t < to).count() / ((to - from) / 1e9);
    }

    /** Successes acknowledged in each second from {@code start}, for the output. */
    List<Long> perSecond(long start, long end) {
        long[] counts = new long[(int) Math.max(1, Math.ceil((end - start) / 1e9))];
        succeededAt.forEach(t -> {
            int second = (int) ((t - start) / 1_000_000_000L);
            if (second >= 0 && second < counts.length) {
                counts[second]++;
            }
        });
        return Arrays.stream(counts).boxed().toList();
    }
}
