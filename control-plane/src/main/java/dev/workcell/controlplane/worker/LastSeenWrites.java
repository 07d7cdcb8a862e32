package dev.workcell.controlplane.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When each worker's last_seen is due to be written again: once per resolution period. A worker first
 * heard of (its registration wrote last_seen) is due at a random point of its first period, so that
 * workers that registered together, such as a host's hundred phones or a fleet after a restart, are
 * written spread over the period rather than all in one UPDATE every period (10,000 rows, 95 ms, in
 * benchmark 5).
 */
final class LastSeenWrites {

    private final long period;
    /** System.nanoTime() of each worker's last write, or of the write its random phase stands for. */
    private final Map<String, Long> writtenAt = new ConcurrentHashMap<>();

    LastSeenWrites(Duration resolution) {
        this.period = resolution.toNanos();
    }

    /** Whether a worker heard from at {@code now} is due to be written. */
    boolean due(String workerId, long now) {
        Long written = writtenAt.get(workerId);
        if (written == null && period > 0) {
            writtenAt.putIfAbsent(workerId, now - ThreadLocalRandom.current().nextLong(period));
            return false;
        }
        return written == null || now - written >= period;
    }

    void written(String workerId, long now) {
        writtenAt.put(workerId, now);
    }
}
