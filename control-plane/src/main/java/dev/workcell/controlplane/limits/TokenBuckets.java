package dev.workcell.controlplane.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key: {@code rate} calls per second on average, bursts of up to
 * {@code burst}. Buckets of keys not seen for a minute are dropped so that the map stays small.
 */
public final class TokenBuckets {

    private static final long IDLE_NANOS = 60_000_000_000L;

    private final double ratePerNano;
    private final double burst;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();
    private volatile long lastCleanup = System.nanoTime();

    public TokenBuckets(double ratePerSecond, int burst) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
    }

    /** Takes one token for the key; false when its bucket is empty. */
    public boolean tryTake(String key) {
        long now = System.nanoTime();
        cleanUp(now);
        // {tokens, last refill time}
        double[] bucket = buckets.computeIfAbsent(key, ignored -> new double[] {burst, now});
        synchronized (bucket) {
            bucket[0] = Math.min(burst, bucket[0] + (now - bucket[1]) * ratePerNano);
            bucket[1] = now;
            if (bucket[0] < 1) {
                return false;
            }
            bucket[0] -= 1;
            return true;
        }
    }

    /** Seconds until the key's bucket holds a token again. */
    public long secondsUntilNext() {
        return Math.max(1, (long) Math.ceil(1 / (ratePerNano * 1e9)));
    }

    private void cleanUp(long now) {
        if (now - lastCleanup > IDLE_NANOS) {
            lastCleanup = now;
            buckets.entrySet().removeIf(entry -> now - (long) entry.getValue()[1] > IDLE_NANOS);
        }
    }
}
